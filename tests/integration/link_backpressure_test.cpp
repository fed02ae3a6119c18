// The Socket Mode link takes at most max_envelopes_in_flight envelopes into its hands at once: the
// rest of a burst stays in the socket until some finish, and then every one is handled.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <thread>

#include "bot_harness.hpp"
#include "microalign/net/signal.hpp"
#include "microalign/net/tls.hpp"
#include "microalign/slack/socket_mode.hpp"
#include "microalign/slack/web_api.hpp"

using namespace microalign;
using namespace microalign::test;

TEST_CASE("a burst beyond the link's limit waits in the socket until envelopes finish", "[link]") {
  TestPki pki;
  FakeSlack fake(pki);
  pki.trust();
  TempDir dir;
  auto config = config_for(fake, dir.path() / "unused.db").slack;
  config.connections = 1;
  config.dead_link_after = 30s;  // the socket is not read while the handlers hold: not dead

  boost::asio::io_context io;
  auto tls = net::make_client_tls_context();
  slack::WebApi api(io.get_executor(), tls, config);
  std::atomic<int> started = 0;
  std::atomic<int> finished = 0;
  bool held = true;  // the loop's thread only
  net::Signal release(io.get_executor());
  slack::EnvelopeHandler handler = [&](slack::Envelope, std::shared_ptr<slack::Ack> ack) -> boost::asio::awaitable<void> {
    ++started;
    while (held) co_await release.wait();
    ack->send();
    ++finished;
  };
  slack::SocketModeLink link(io.get_executor(), tls, api, config, handler);
  std::promise<std::string> ended;
  boost::asio::co_spawn(io, link.run(), [&](std::exception_ptr, std::string why) { ended.set_value(why); });
  std::thread loop([&] { io.run(); });

  REQUIRE(fake.wait_for_connections(1, 5s));
  constexpr int burst = slack::max_envelopes_in_flight + 300;
  for (int i = 0; i < burst; ++i) {
    const auto id = "env-" + std::to_string(i);
    fake.send_envelope(slash_command(id, "/heads-up", "ENG-1 moves", "U1", "C1", fake.response_url(id)));
  }
  REQUIRE(eventually([&] { return started == slack::max_envelopes_in_flight; }, 10s));
  std::this_thread::sleep_for(300ms);
  CHECK(started == slack::max_envelopes_in_flight);  // the rest wait, unread

  boost::asio::post(io, [&] {
    held = false;
    release.notify();
  });
  CHECK(eventually([&] { return finished == burst; }, 20s));
  CHECK(fake.wait_for_ack("env-" + std::to_string(burst - 1), 5s));

  boost::asio::post(io, [&] { link.stop(); });
  CHECK(ended.get_future().get().empty());
  loop.join();
}
