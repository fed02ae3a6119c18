// The operator's endpoints on the runtime's HTTP listener (loopback by default):
//   GET /healthz  200 "ok" while the process serves HTTP: for a liveness probe.
//   GET /readyz   200 when at least one platform link is live, the database takes a write and
//                 every background task runs; else 503. The body says each check's state, and
//                 of a task that stopped on an error, how often it was started again and when
//                 it last failed (why is in the log: an error's text may quote what it read).
//   GET /metrics  Prometheus' text format: everything counted in the default registry.
// GET only (HEAD too: the listener sends HEAD the headers alone); anything else is 405. Nothing in
// them is secret: no tokens, no user text, no ids — counts, states and the code's own reasons.
#include <chrono>

#include "microalign/app/transact.hpp"
#include "microalign/core/export.hpp"
#include "microalign/core/log.hpp"
#include "microalign/core/metrics.hpp"
#include "microalign/slack/adapter.hpp"
#include "microalign/teams/adapter.hpp"
#include "runtime.hpp"

namespace microalign::cli {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// A probe answered later than this is a failed one: Kubernetes' default timeout is 1 s, a
// Prometheus scrape's 10 s. The storage check waits for a write lock held by another process.
constexpr auto storage_probe_deadline = 2s;
// The outbox's gauges are read from storage at each scrape; slower than this, they keep their
// last values and the scrape goes on.
constexpr auto gauges_deadline = 2s;

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

net::ServerResponse text(unsigned status, std::string body,
                         std::string_view content_type = "text/plain; charset=utf-8") {
  net::ServerResponse response;
  response.status = status;
  response.content_type = content_type;
  response.body = std::move(body);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

std::string task_status(app::TaskState::Status status) {
  switch (status) {
    case app::TaskState::Status::not_started:
      return "not started";
    case app::TaskState::Status::running:
      return "running";
    case app::TaskState::Status::restarting:
      return "restarting after an error";
    case app::TaskState::Status::stopped:
      return "stopped";
    case app::TaskState::Status::failed:
      return "stopped on an error";
  }
  return "unknown";
}

// "3 restarts, last failure at 2026-06-10T10:00:00Z", or "" for a task that never failed.
std::string failure_record(const app::TaskState& task) {
  if (!task.last_failure) return "";
  return std::to_string(task.restarts) + (task.restarts == 1 ? " restart" : " restarts") + ", last failure at " +
         format_rfc3339(*task.last_failure);
}

// One line of /readyz: "storage: ok (…)" or "storage: failing (…)".
std::string check_line(std::string_view name, bool ok, const std::string& detail) {
  return std::string(name) + ": " + (ok ? "ok" : "failing") + (detail.empty() ? "" : " (" + detail + ")") + "\n";
}

}  // namespace

bool Runtime::is_operator_endpoint(std::string_view target) {
  const auto path = path_of(target);
  return path == "/healthz" || path == "/readyz" || path == "/metrics";
}

asio::awaitable<net::ServerResponse> Runtime::operator_endpoint(net::ServerRequest request) {
  if (request.method != "GET" && request.method != "HEAD") {
    auto refused = text(405, "GET only\n");
    refused.headers.emplace_back("Allow", "GET, HEAD");
    co_return refused;
  }
  const auto path = path_of(request.target);
  if (path == "/readyz") co_return co_await readiness();
  if (path == "/metrics") co_return co_await metrics_page();
  co_return text(200, "ok\n");
}

// Each platform served and whether its link is live. A platform added to the runtime reports
// itself here in one line; the local sandbox, which nothing outside the process can cut off, is
// live while it serves.
std::vector<Runtime::Link> Runtime::links() const {
  std::vector<Link> links;
  if (slack_) {
    const int ready = slack_->ready_sockets();
    links.push_back({"slack", ready > 0,
                     ready > 0 ? std::to_string(ready) + (ready == 1 ? " socket" : " sockets") + " ready"
                               : "no Socket Mode socket ready"});
  }
  if (teams_) {
    const bool serving = teams_->serving();
    links.push_back({"teams", serving, serving ? "serving" : "not serving"});
  }
  if (sandbox_) links.push_back({"sandbox", true, "serving the local page"});
  return links;
}

asio::awaitable<net::ServerResponse> Runtime::readiness() {
  bool ready = true;
  std::string body;

  const auto platforms = links();
  bool any_live = false;
  std::string states;
  for (const auto& link : platforms) {
    any_live = any_live || link.live;
    states += (states.empty() ? "" : "; ") + link.platform + ": " + link.state;
  }
  body += check_line("platform", any_live, platforms.empty() ? "none served" : states);
  ready = ready && any_live;

  const auto refused = co_await app::probe_write(transactions_, storage_probe_deadline);
  if (!refused.empty()) log::warn("health", "the database cannot take a write: " + refused);
  body += check_line("storage", refused.empty(), refused.empty() ? "writable" : "cannot write: " + refused);
  ready = ready && refused.empty();

  std::string stopped;
  std::string recovered;  // running again after an error
  int running = 0;
  for (const auto& task : service_.tasks()) {
    const auto record = failure_record(task);
    if (task.status == app::TaskState::Status::running) {
      ++running;
      if (!record.empty()) recovered += "; " + task.name + " " + record;
    } else {
      stopped += (stopped.empty() ? "" : "; ") + task.name + " " + task_status(task.status) +
                 (record.empty() ? "" : " (" + record + ")");
    }
  }
  body += check_line("tasks", stopped.empty(),
                     stopped.empty() ? std::to_string(running) + " running" + recovered : stopped);
  ready = ready && stopped.empty();

  co_return text(ready ? 200 : 503, (ready ? "ready\n" : "not ready\n") + body);
}

asio::awaitable<net::ServerResponse> Runtime::metrics_page() {
  auto& registry = metrics::default_registry();
  co_await service_.observe(gauges_deadline);
  auto& live = registry.gauge("microalign_platform_live",
                              "1 while the platform's link is live (Slack: a socket ready; Teams: serving), else 0.",
                              {"platform"});
  for (const auto& link : links()) live.with({link.platform}).set(link.live ? 1 : 0);
  if (slack_) {
    registry.gauge("microalign_slack_sockets_ready", "Socket Mode sockets that said hello and are not closing.")
        .with({})
        .set(slack_->ready_sockets());
  }
  co_return text(200, registry.render_prometheus(), metrics::content_type);
}

}  // namespace microalign::cli
