// What `microalign sandbox` runs — the Runtime with the sandbox adapter, the application, the
// commit queue over SQLite in a temporary directory — on its own io_context thread, with the
// sandbox's clock starting on Wednesday 10 June 2026 at 09:00 UTC (10:00 in Lisbon, 05:00 in New
// York, 17:00 in Singapore). The test is the page: it speaks the sandbox's HTTP API over loopback.
#pragma once

#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <future>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "cli/runtime.hpp"
#include "microalign/core/config.hpp"
#include "microalign/core/export.hpp"
#include "microalign/core/log.hpp"
#include "microalign/sandbox/adapter.hpp"
#include "microalign/storage/commit_queue.hpp"
#include "microalign/storage/sqlite_store.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::test {

using namespace std::chrono_literals;
using Json = nlohmann::json;

struct HttpAnswer {
  unsigned status = 0;  // 0: no answer
  std::string body;
  std::string content_type;
  std::string csp;  // Content-Security-Policy

  Json json() const { return Json::parse(body, nullptr, /*allow_exceptions=*/false); }
  std::string error() const {
    const auto j = json();
    return j.is_object() ? j.value("error", std::string{}) : std::string{};
  }
};

// One request on a fresh connection, as a browser's fetch would send it.
inline HttpAnswer request(std::uint16_t port, const std::string& method, const std::string& target,
                          const std::string& body = {}, const std::string& content_type = "application/json",
                          const std::string& origin = {}, const std::string& host = {}) {
  namespace beast = boost::beast;
  namespace http = beast::http;
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(10s);
  stream.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  http::request<http::string_body> req{method == "POST" ? http::verb::post : http::verb::get, target, 11};
  req.set(http::field::host, host.empty() ? "127.0.0.1:" + std::to_string(port) : host);
  if (!origin.empty()) req.set(http::field::origin, origin);
  if (method == "POST") {
    req.set(http::field::content_type, content_type);
    req.body() = body;
    req.prepare_payload();
  }
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res);
  HttpAnswer answer;
  answer.status = res.result_int();
  answer.body = res.body();
  answer.content_type = std::string(res[http::field::content_type]);
  answer.csp = std::string(res["Content-Security-Policy"]);
  return answer;
}

// Polls `condition` until it holds or `limit` passes.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = 5s) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// The plain text of an entry's message as the page has it (sections and small print).
inline std::string text_of(const Json& entry) {
  std::string text;
  if (!entry.contains("message")) return text;
  for (const auto& block : entry["message"]["blocks"]) {
    if (!block.contains("text")) continue;
    for (const auto& span : block["text"]) text += span["text"].get<std::string>();
    text += "\n";
  }
  return text;
}

// The first button of `entry` with this action id (null when none).
inline Json button_of(const Json& entry, const std::string& action_id) {
  if (!entry.contains("message")) return nullptr;
  for (const auto& block : entry["message"]["blocks"]) {
    if (block["type"] != "actions") continue;
    for (const auto& b : block["buttons"]) {
      if (b["action_id"] == action_id) return b;
    }
  }
  return nullptr;
}

inline SysTime sandbox_start() { return *parse_rfc3339("2026-06-10T09:00:00Z"); }

class SandboxHarness {
 public:
  SandboxHarness() : adapter_(sandbox_start()) {
    if (auto level = process_environment()("MICROALIGN_LOG")) {
      log::set_level(log::level_from_string(*level).value_or(log::Level::warn));
    } else {
      log::set_level(log::Level::warn);
    }
    static int counter = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("microalign-sandbox-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::create_directories(dir_);
    config_.db_path = (dir_ / "sandbox.db").string();
    config_.http_addr = "127.0.0.1:0";
    store_ = storage::SqliteStore::open(config_.db_path);
    commits_ = std::make_unique<storage::CommitQueue>(*store_);
    runtime_ = std::make_unique<cli::Runtime>(io_, config_, *commits_, adapter_);
    boost::asio::co_spawn(io_, runtime_->run(), [this](std::exception_ptr e, std::string fatal) {
      if (e) fatal = "exception escaped Runtime::run";
      result_.set_value(std::move(fatal));
    });
    thread_ = std::thread([this] { io_.run(); });
    eventually([&] { return (port_ = runtime_->http_port()) != 0; });
    // Serving once a POST is taken (before, the sandbox answers 503).
    eventually([&] { return post("/sandbox/clock", std::string("[]")).status == 400; });
  }

  ~SandboxHarness() {
    boost::asio::post(io_, [this] { runtime_->stop(); });
    result_.get_future().wait();
    thread_.join();
    commits_->stop();
    std::filesystem::remove_all(dir_);
  }

  std::uint16_t port() const { return port_; }

  HttpAnswer get(const std::string& target) const { return request(port_, "GET", target); }
  HttpAnswer post(const std::string& target, const std::string& body) const {
    return request(port_, "POST", target, body);
  }
  HttpAnswer post(const std::string& target, const Json& body) const { return post(target, body.dump()); }

  // Types `text` as `person` in `conversation` (and `thread`).
  HttpAnswer say(const std::string& person, const std::string& conversation, const std::string& text,
                 const std::string& thread = {}) const {
    Json body;
    body["person"] = person;
    body["conversation"] = conversation;
    body["text"] = text;
    body["thread"] = thread;
    return post("/sandbox/post", body);
  }
  HttpAnswer advance(const std::string& step) const {
    Json body;
    body["advance"] = step;
    return post("/sandbox/clock", body);
  }
  HttpAnswer click(const std::string& person, const Json& entry, const std::string& action_id) const {
    const auto button = button_of(entry, action_id);
    Json body;
    body["person"] = person;
    body["message"] = entry["id"];
    body["action_id"] = action_id;
    body["value"] = button.is_null() ? Json("") : button["value"];
    return post("/sandbox/click", body);
  }

  // Every entry as the page now has it, by id (the latest version of each).
  std::map<std::string, Json> entries() const {
    std::map<std::string, Json> all;
    const auto state = get("/sandbox/state?since=0").json();
    for (const auto& e : state["messages"]) all[e["id"].get<std::string>()] = e;
    return all;
  }
  // Those in `conversation` that `person` sees ("" for everyone: only what all see), in order.
  std::vector<Json> seen(const std::string& conversation, const std::string& person = {}) const {
    std::vector<Json> out;
    for (const auto& [id, e] : entries()) {
      const auto only_for = e["only_for"].get<std::string>();
      if (e["conversation"] == conversation && (only_for.empty() || only_for == person)) out.push_back(e);
    }
    std::sort(out.begin(), out.end(), [](const Json& a, const Json& b) { return a["order"] < b["order"]; });
    return out;
  }
  // The first entry seen there whose text holds `needle`, waiting for it; null when none came.
  Json wait_for(const std::string& conversation, const std::string& needle, const std::string& person = {},
                std::chrono::milliseconds limit = 5s) const {
    Json found;
    eventually(
        [&] {
          for (const auto& e : seen(conversation, person)) {
            if (text_of(e).find(needle) != std::string::npos) {
              found = e;
              return true;
            }
          }
          return false;
        },
        limit);
    return found;
  }

  // A separate connection to the database, as another process would have.
  std::unique_ptr<storage::SqliteStore> reader() const { return storage::SqliteStore::open(config_.db_path); }
  std::vector<Update> updates() const { return reader()->updates({}); }

 private:
  std::filesystem::path dir_;
  Config config_;
  sandbox::Adapter adapter_;
  std::unique_ptr<storage::SqliteStore> store_;
  std::unique_ptr<storage::CommitQueue> commits_;
  boost::asio::io_context io_;
  std::unique_ptr<cli::Runtime> runtime_;
  std::promise<std::string> result_;
  std::thread thread_;
  std::uint16_t port_ = 0;
};

}  // namespace microalign::test
