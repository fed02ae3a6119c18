// What `microalign run` runs: the platforms configured (Slack, Teams, or both), the application
// over them, the HTTP listener Teams posts to, and the storage engine's transactions — started
// together and stopped together.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "microalign/app/clock.hpp"
#include "microalign/app/service.hpp"
#include "microalign/core/config.hpp"
#include "microalign/net/http_server.hpp"
#include "microalign/net/signal.hpp"

namespace microalign::slack {
class Adapter;
}
namespace microalign::teams {
class Adapter;
}
namespace microalign::storage {
class Transactions;
}
namespace microalign::sandbox {
class Adapter;
}
namespace microalign::trackers {
class WebhookEndpoint;
}

namespace microalign::cli {

class Runtime {
 public:
  Runtime(boost::asio::io_context&, const Config&, storage::Transactions&, app::Clock = app::system_clock());
  // `microalign sandbox`: the local sandbox is the platform, on its own clock; its page is served
  // at / and /sandbox/ on the HTTP listener.
  Runtime(boost::asio::io_context&, const Config&, storage::Transactions&, sandbox::Adapter&);
  ~Runtime();

  // Signs in to each platform, then serves until stop() or a fatal error, which it returns as one
  // line for the operator (empty after a clean stop). What is queued stays in the outbox for the
  // next start.
  boost::asio::awaitable<std::string> run();
  void stop();

  // The HTTP listener's port, once listening (0 before): for tests.
  std::uint16_t http_port() const;

 private:
  boost::asio::awaitable<net::ServerResponse> route(net::ServerRequest);
  // Runs `task` in the background, counting it among what run() waits for at the end.
  void start(boost::asio::awaitable<void> task);

  // The operator's endpoints, GET /healthz, /readyz and /metrics (runtime_health.cpp).
  static bool is_operator_endpoint(std::string_view target);
  boost::asio::awaitable<net::ServerResponse> operator_endpoint(net::ServerRequest);
  boost::asio::awaitable<net::ServerResponse> readiness();
  boost::asio::awaitable<net::ServerResponse> metrics_page();
  struct Link {
    std::string platform;
    bool live = false;
    std::string state;  // "2 sockets ready", "serving", …
  };
  std::vector<Link> links() const;  // one per platform served

  boost::asio::any_io_executor executor_;
  const Config& config_;
  storage::Transactions& transactions_;
  std::unique_ptr<slack::Adapter> slack_;
  std::unique_ptr<teams::Adapter> teams_;
  sandbox::Adapter* sandbox_ = nullptr;
  app::Service service_;
  std::unique_ptr<trackers::WebhookEndpoint> webhooks_;
  std::unique_ptr<net::HttpServer> http_;
  net::Signal changed_;
  int running_ = 0;
  bool stopping_ = false;
};

// The Runtime a verb serves, made on the loop and over the storage that serve_until_signalled
// opened.
using MakeRuntime = std::function<std::unique_ptr<Runtime>(boost::asio::io_context&, storage::Transactions&)>;

// For `run` and `sandbox`: logs as `config` says, opens (and migrates) its database, and serves the
// Runtime `make` returns until SIGINT or SIGTERM (then it stops cleanly; a second signal exits at
// once) or a fatal error, logged. Returns the exit status: 0 after a clean stop, 1 when the
// database cannot be opened or after a fatal error.
int serve_until_signalled(const Config&, const MakeRuntime& make);

}  // namespace microalign::cli
