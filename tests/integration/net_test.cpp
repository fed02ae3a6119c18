// The network layer against the fake Slack over loopback TLS: HTTPS keep-alive, rate limits,
// deadlines, certificate verification, and Socket Mode's WSS connection.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "fake_slack.hpp"
#include "microalign/net/https_client.hpp"
#include "microalign/net/tls.hpp"
#include "microalign/net/url.hpp"
#include "microalign/net/websocket.hpp"
#include "test_pki.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace net = microalign::net;
using microalign::test::FakeSlack;
using microalign::test::Reply;
using microalign::test::TestPki;
using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

const FakeSlack::Options tokens;  // the tokens the fake expects

// The bot's side of a test: one io_context, and a TLS context that trusts `ca` alone.
struct Bot {
  explicit Bot(const TestPki& ca) : tls((ca.trust(), net::make_client_tls_context())) {}

  // Runs `task` to completion on the bot's io_context (or fails the test after `limit`).
  template <class T>
  T run(asio::awaitable<T> task, std::chrono::milliseconds limit = 5s) {
    std::optional<T> out;
    std::exception_ptr failure;
    asio::co_spawn(ioc, std::move(task), [&](std::exception_ptr e, T value) {
      failure = e;
      out.emplace(std::move(value));
    });
    const auto deadline = Clock::now() + limit;
    ioc.restart();
    while (!out && ioc.run_one_until(deadline) > 0) {
    }
    if (failure) std::rethrow_exception(failure);
    REQUIRE(out.has_value());
    return std::move(*out);
  }

  asio::io_context ioc;
  asio::ssl::context tls;
};

net::HttpRequest api_call(std::string_view method, const Json& args,
                          const std::string& token = tokens.bot_token) {
  return {"/api/" + std::string(method), "application/json; charset=utf-8", args.dump(),
          "Bearer " + token};
}

Json body_of(const boost::system::result<net::HttpResponse>& response) {
  REQUIRE(response.has_value());
  return Json::parse(response->body);
}

const Json hello_message = {{"channel", "C111"}, {"text", "hello"}};

// The Socket Mode URL from apps.connections.open, as the bot gets it.
net::Url socket_url(Bot& bot, const FakeSlack& slack) {
  net::HttpsClient client(bot.ioc.get_executor(), bot.tls, slack.host(), slack.port());
  const Json answer = body_of(bot.run(client.post(api_call("apps.connections.open", Json::object(), tokens.app_token), 1s)));
  REQUIRE(answer["ok"] == true);
  auto url = net::Url::parse(answer["url"].get<std::string>());
  REQUIRE(url);
  return *url;
}

asio::awaitable<Json> read_json(net::WssStream& ws) {
  beast::flat_buffer buffer;
  co_await ws.async_read(buffer, asio::use_awaitable);
  co_return Json::parse(beast::buffers_to_string(buffer.data()));
}

asio::awaitable<boost::system::error_code> read_error(net::WssStream& ws) {
  beast::flat_buffer buffer;
  auto [ec, size] = co_await ws.async_read(buffer, asio::as_tuple(asio::use_awaitable));
  co_return ec;
}

std::unique_ptr<net::WssStream> connect(Bot& bot, const net::Url& url,
                                        std::chrono::milliseconds idle = 10s) {
  auto ws = bot.run(net::connect_wss(bot.ioc.get_executor(), bot.tls, url, 1s, idle));
  REQUIRE(ws.has_value());
  return std::move(*ws);
}

}  // namespace

TEST_CASE("Url::parse splits https and wss URLs and refuses clear text") {
  const auto wss = net::Url::parse("wss://WSS-Primary.slack.com/link/?ticket=abc&app_id=A1#x");
  REQUIRE(wss);
  CHECK(wss->scheme == "wss");
  CHECK(wss->host == "wss-primary.slack.com");
  CHECK(wss->port == "443");
  CHECK(wss->target == "/link/?ticket=abc&app_id=A1");

  const auto v6 = net::Url::parse("https://[::1]:8443?x=1");
  REQUIRE(v6);
  CHECK(v6->host == "::1");
  CHECK(v6->port == "8443");
  CHECK(v6->target == "/?x=1");
  CHECK(net::host_header(v6->host, v6->port) == "[::1]:8443");
  CHECK(net::host_header("slack.com", "443") == "slack.com");
  CHECK(net::host_header("slack.com", "443", true) == "slack.com:443");

  CHECK_FALSE(net::Url::parse("http://slack.com/api/"));
  CHECK_FALSE(net::Url::parse("ws://127.0.0.1:1/link/"));
  CHECK_FALSE(net::Url::parse("https://user:pw@slack.com/"));
  CHECK_FALSE(net::Url::parse("https://slack.com:0/"));
  CHECK_FALSE(net::Url::parse("https://slack.com:99999/"));
  CHECK_FALSE(net::Url::parse("https:///api/"));
}

TEST_CASE("The fake's frames have the shapes of Slack's own samples") {
  using namespace microalign::test;
  auto keys = [](const Json& object) {
    std::set<std::string> out;
    for (const auto& [key, value] : object.items()) out.insert(key);
    return out;
  };
  const Json hello = load_sample("envelopes/hello.json");
  CHECK(keys(hello_frame(1)) == keys(hello));
  CHECK(keys(hello_frame(1)["debug_info"]) == keys(hello["debug_info"]));

  const Json slash = load_sample("envelopes/slash_commands.json");
  const Json made = slash_command("e", "/status", "x", "U1", "C1", "https://r");
  CHECK(keys(made) == keys(slash));
  CHECK(keys(made["payload"]) == keys(slash["payload"]));

  const Json mention = load_sample("envelopes/events_api-app_mention.json");
  const Json made_mention = app_mention("e", "Ev1", "<@UBOT> hi", "U1", "C1");
  CHECK(keys(made_mention) == keys(mention));
  CHECK(keys(made_mention["payload"]) == keys(mention["payload"]));
  CHECK(made_mention["payload"]["event_context"] == "1-app_mention-T111-C1");
}

TEST_CASE("HttpsClient POSTs JSON to the Web API and reads the answer") {
  TestPki pki;
  FakeSlack slack(pki);
  Bot bot(pki);
  net::HttpsClient client(bot.ioc.get_executor(), bot.tls, slack.host(), slack.port());

  const auto response = bot.run(client.post(api_call("chat.postMessage", hello_message), 1s));
  REQUIRE(response.has_value());
  CHECK(response->status == 200);
  CHECK_FALSE(response->retry_after);
  const Json answer = Json::parse(response->body);
  CHECK(answer["ok"] == true);
  CHECK(answer["channel"] == "C111");

  const auto calls = slack.calls("chat.postMessage");
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].content_type == "application/json; charset=utf-8");
  CHECK(calls[0].authorization == "Bearer " + tokens.bot_token);
  CHECK(calls[0].params == hello_message);
  REQUIRE(slack.posted_messages().size() == 1);
  CHECK(slack.posted_messages()[0]["ts"] == answer["ts"]);
}

TEST_CASE("HttpsClient sends form bodies, and the fake decodes them as Slack does") {
  TestPki pki;
  FakeSlack slack(pki);
  Bot bot(pki);
  net::HttpsClient client(bot.ioc.get_executor(), bot.tls, slack.host(), slack.port());

  const net::HttpRequest form{"/api/chat.postMessage", "application/x-www-form-urlencoded",
                              "channel=C111&text=a+b%26c&blocks=%5B%7B%22type%22%3A%22divider%22%7D%5D",
                              "Bearer " + tokens.bot_token};
  CHECK(body_of(bot.run(client.post(form, 1s)))["ok"] == true);
  const auto call = slack.wait_for_call("chat.postMessage", 1s);
  REQUIRE(call);
  CHECK(call->params["text"] == "a b&c");
  CHECK(call->params["blocks"] == R"([{"type":"divider"}])");  // JSON inside a form stays text
  CHECK(slack.posted_messages().at(0)["blocks"][0]["type"] == "divider");
}

TEST_CASE("The fake checks tokens the way Slack does") {
  TestPki pki;
  FakeSlack slack(pki);
  Bot bot(pki);
  net::HttpsClient client(bot.ioc.get_executor(), bot.tls, slack.host(), slack.port());

  auto no_token = api_call("auth.test", Json::object());
  no_token.authorization.clear();
  CHECK(body_of(bot.run(client.post(no_token, 1s)))["error"] == "not_authed");
  // The app token is for apps.connections.open only.
  CHECK(body_of(bot.run(client.post(api_call("auth.test", Json::object(), tokens.app_token), 1s)))["error"] ==
        "invalid_auth");
  CHECK(body_of(bot.run(client.post(api_call("auth.test", Json::object()), 1s)))["user_id"] == "UBOT");
}

TEST_CASE("HttpsClient keeps one connection alive for requests from several coroutines") {
  TestPki pki;
  FakeSlack slack(pki);
  Bot bot(pki);
  net::HttpsClient client(bot.ioc.get_executor(), bot.tls, slack.host(), slack.port());

  auto post_all = [&]() -> asio::awaitable<int> {
    int ok = 0;
    auto one = [&]() -> asio::awaitable<void> {
      auto response = co_await client.post(api_call("chat.postMessage", hello_message), 1s);
      if (response && Json::parse(response->body)["ok"] == true) ++ok;
    };
    for (int i = 0; i < 4; ++i) asio::co_spawn(bot.ioc, one(), asio::detached);
    co_await one();  // queued last, so done last
    co_return ok;
  };
  CHECK(bot.run(post_all()) == 5);
  CHECK(bot.run(client.post(api_call("auth.test", Json::object()), 1s)).has_value());
  CHECK(client.connections_opened() == 1);
  CHECK(slack.http_connections_opened() == 1);
  CHECK(slack.posted_messages().size() == 5);
}

TEST_CASE("HttpsClient reconnects when the server closed the kept connection") {
  TestPki pki;
  FakeSlack slack(pki);
  Bot bot(pki);
  net::HttpsClient client(bot.ioc.get_executor(), bot.tls, slack.host(), slack.port());

  REQUIRE(bot.run(client.post(api_call("auth.test", Json::object()), 1s)).has_value());

  SECTION("silently, as a keep-alive timeout does") { REQUIRE(slack.close_http_connections()); }
  SECTION("announced with Connection: close") {
    slack.reply_next("auth.test", Reply{200, {{"Connection", "close"}}, R"({"ok":true})", 0ms});
    REQUIRE(bot.run(client.post(api_call("auth.test", Json::object()), 1s)).has_value());
  }

  CHECK(body_of(bot.run(client.post(api_call("chat.postMessage", hello_message), 1s)))["ok"] == true);
  CHECK(client.connections_opened() == 2);
  CHECK(slack.calls("chat.postMessage").size() == 1);  // sent once, not retried blindly
}

TEST_CASE("HttpsClient reports 429 with Retry-After") {
  TestPki pki;
  FakeSlack slack(pki);
  Bot bot(pki);
  net::HttpsClient client(bot.ioc.get_executor(), bot.tls, slack.host(), slack.port());
  slack.reply_next("chat.postMessage", Reply::rate_limited(7s));

  const auto response = bot.run(client.post(api_call("chat.postMessage", hello_message), 1s));
  REQUIRE(response.has_value());
  CHECK(response->status == 429);
  CHECK(response->retry_after == std::chrono::seconds(7));
  CHECK(Json::parse(response->body)["error"] == "ratelimited");
  // The next call gets the built-in answer again.
  CHECK(body_of(bot.run(client.post(api_call("chat.postMessage", hello_message), 1s)))["ok"] == true);
}

TEST_CASE("HttpsClient hands over the response's headers, names in lower case") {
  TestPki pki;
  FakeSlack::Options options;
  options.bot_scopes = "commands,chat:write";
  FakeSlack slack(pki, options);
  Bot bot(pki);
  net::HttpsClient client(bot.ioc.get_executor(), bot.tls, slack.host(), slack.port());
  slack.reply_next("auth.test", Reply{200, {{"X-Slack-Req-Id", "a"}}, R"({"ok":true})"});

  const auto response = bot.run(client.post(api_call("auth.test", Json::object()), 1s));
  REQUIRE(response.has_value());
  CHECK(response->header("x-oauth-scopes") == "commands,chat:write");  // as Slack lists a token's scopes
  CHECK(response->header("x-slack-req-id") == "a");
  CHECK(response->header("content-type") == "application/json; charset=utf-8");
  CHECK(response->header("retry-after").empty());
  // Only for the bot token's calls, as Slack does.
  const auto app = bot.run(client.post(api_call("apps.connections.open", Json::object(), tokens.app_token), 1s));
  REQUIRE(app.has_value());
  CHECK_FALSE(app->headers.contains("x-oauth-scopes"));
}

TEST_CASE("HttpsClient gives up at the deadline and recovers afterwards") {
  TestPki pki;
  FakeSlack slack(pki);
  Bot bot(pki);
  net::HttpsClient client(bot.ioc.get_executor(), bot.tls, slack.host(), slack.port());
  Reply slow = Reply::json({{"ok", true}});
  slow.delay = 5s;
  slack.reply_next("chat.postMessage", slow);

  const auto started = Clock::now();
  const auto response = bot.run(client.post(api_call("chat.postMessage", hello_message), 300ms));
  const auto took = Clock::now() - started;
  REQUIRE_FALSE(response.has_value());
  CHECK(response.error() == beast::error::timeout);
  CHECK(took >= 300ms);
  CHECK(took < 1s);

  CHECK(body_of(bot.run(client.post(api_call("auth.test", Json::object()), 1s)))["ok"] == true);
  CHECK(client.connections_opened() == 2);
}

TEST_CASE("HttpsClient refuses a server certificate from an unknown CA") {
  TestPki trusted;
  TestPki stranger;
  FakeSlack slack(stranger);
  Bot bot(trusted);
  net::HttpsClient client(bot.ioc.get_executor(), bot.tls, slack.host(), slack.port());

  const auto response = bot.run(client.post(api_call("auth.test", Json::object()), 1s));
  REQUIRE_FALSE(response.has_value());
  CHECK(response.error().category() == net::x509_verify_category());
  CHECK_THAT(response.error().message(), Catch::Contains("certificate verify failed"));
  CHECK(slack.calls().empty());
}

TEST_CASE("HttpsClient refuses a certificate for another name") {
  TestPki pki({"DNS:wrong.example"});
  FakeSlack slack(pki);
  Bot bot(pki);

  SECTION("connecting by IP address") {
    net::HttpsClient client(bot.ioc.get_executor(), bot.tls, "127.0.0.1", slack.port());
    const auto response = bot.run(client.post(api_call("auth.test", Json::object()), 1s));
    REQUIRE_FALSE(response.has_value());
    CHECK_THAT(response.error().message(), Catch::Contains("IP address mismatch"));
  }
  SECTION("connecting by name") {
    net::HttpsClient client(bot.ioc.get_executor(), bot.tls, "localhost", slack.port());
    const auto response = bot.run(client.post(api_call("auth.test", Json::object()), 1s));
    REQUIRE_FALSE(response.has_value());
    CHECK_THAT(response.error().message(), Catch::Contains("hostname mismatch"));
  }
  CHECK(slack.calls().empty());
}

TEST_CASE("HttpsClient accepts the right certificate by name") {
  TestPki pki;
  FakeSlack slack(pki);
  Bot bot(pki);
  net::HttpsClient client(bot.ioc.get_executor(), bot.tls, "localhost", slack.port());
  CHECK(body_of(bot.run(client.post(api_call("auth.test", Json::object()), 1s)))["ok"] == true);
}

TEST_CASE("connect_wss opens Socket Mode and the fake says hello") {
  TestPki pki;
  FakeSlack slack(pki);
  Bot bot(pki);
  const net::Url url = socket_url(bot, slack);

  auto ws = connect(bot, url);
  const Json hello = bot.run(read_json(*ws));
  CHECK(hello["type"] == "hello");
  CHECK(hello["num_connections"] == 1);
  CHECK(slack.wait_for_connections(1, 1s));

  SECTION("a ticket opens one connection only") {
    auto again = bot.run(net::connect_wss(bot.ioc.get_executor(), bot.tls, url, 1s, 10s));
    REQUIRE_FALSE(again.has_value());
    CHECK_THAT(again.error().reason, Catch::Contains("HTTP 401"));
    CHECK_THAT(again.error().reason, !Catch::Contains("ticket"));
    CHECK(slack.socket_connections_opened() == 1);
  }
  SECTION("envelopes are acked, and a disconnect is followed by the client's close") {
    const int id = slack.open_sockets().at(0);
    REQUIRE(slack.send_envelope(microalign::test::slash_command(
                "env-1", "/status", "PROJ-1 done", "U111", "C111", slack.response_url("r1"))) == id);
    const Json envelope = bot.run(read_json(*ws));
    CHECK(envelope["payload"]["command"] == "/status");

    const Json ack = {{"envelope_id", envelope["envelope_id"]}, {"payload", {{"text", "noted"}}}};
    bot.run([&]() -> asio::awaitable<bool> {
      co_await ws->async_write(asio::buffer(ack.dump()), asio::use_awaitable);
      co_return true;
    }());
    CHECK(slack.wait_for_ack("env-1", 1s) == ack);

    slack.disconnect(id, "refresh_requested");
    CHECK(bot.run(read_json(*ws))["reason"] == "refresh_requested");
    bot.run([&]() -> asio::awaitable<bool> {
      co_await ws->async_close(beast::websocket::close_code::normal, asio::use_awaitable);
      co_return true;
    }());
    CHECK(slack.wait_for_closed(id, 1s));
    CHECK(slack.socket(id).client_close == 1000);
  }
  SECTION("a dropped connection is a read error") {
    slack.drop(slack.open_sockets().at(0));
    const auto ec = bot.run(read_error(*ws));
    CHECK(ec);
    CHECK(ec != beast::error::timeout);
  }
}

// An ack written while the previous one was unacknowledged waited for the peer's delayed ACK
// (Nagle's algorithm): slack_load saw it as the p99.9 of acknowledgements.
TEST_CASE("acks_delayed_by_nagle: TLS connections send small writes at once (TCP_NODELAY)") {
  TestPki pki;
  FakeSlack slack(pki);
  Bot bot(pki);
  auto ws = connect(bot, socket_url(bot, slack));
  asio::ip::tcp::no_delay no_delay;
  beast::get_lowest_layer(*ws).socket().get_option(no_delay);
  CHECK(no_delay.value());
}

TEST_CASE("connect_wss notices a half-open connection within the idle timeout") {
  TestPki pki;
  FakeSlack slack(pki);
  Bot bot(pki);
  auto ws = connect(bot, socket_url(bot, slack), 400ms);
  CHECK(bot.run(read_json(*ws))["type"] == "hello");

  slack.go_silent(slack.open_sockets().at(0));
  const auto started = Clock::now();
  CHECK(bot.run(read_error(*ws)) == beast::error::timeout);
  CHECK(Clock::now() - started < 1s);
}

TEST_CASE("connect_wss refuses an unknown CA without revealing the ticket") {
  TestPki trusted;
  TestPki stranger;
  FakeSlack slack(stranger);
  Bot bot(trusted);
  const auto url = net::Url::parse("wss://127.0.0.1:" + slack.port() + "/link/?ticket=secret-1&app_id=A111");

  auto ws = bot.run(net::connect_wss(bot.ioc.get_executor(), bot.tls, *url, 1s, 10s));
  REQUIRE_FALSE(ws.has_value());
  CHECK(ws.error().code.category() == net::x509_verify_category());
  CHECK_THAT(ws.error().reason, Catch::StartsWith("TLS handshake with 127.0.0.1:"));
  CHECK_THAT(ws.error().reason, Catch::Contains("certificate verify failed"));
  CHECK_THAT(ws.error().reason, !Catch::Contains("secret-1"));
}

TEST_CASE("connect_wss refuses a certificate for another name without revealing the ticket") {
  TestPki pki({"DNS:wrong.example"});
  FakeSlack slack(pki);
  Bot bot(pki);
  const auto url = net::Url::parse("wss://localhost:" + slack.port() + "/link/?ticket=secret-2&app_id=A111");

  auto ws = bot.run(net::connect_wss(bot.ioc.get_executor(), bot.tls, *url, 1s, 10s));
  REQUIRE_FALSE(ws.has_value());
  CHECK(ws.error().code.category() == net::x509_verify_category());
  CHECK_THAT(ws.error().reason, Catch::Contains("hostname mismatch"));
  CHECK_THAT(ws.error().reason, !Catch::Contains("secret-2"));
  CHECK(slack.open_sockets().empty());
}
