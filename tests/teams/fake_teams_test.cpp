// The fake Bot Framework itself, driven through the bot's HttpsClient (GET, POST, PUT): what it
// answers, what it records and what it refuses, so tests built on it can trust it.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <thread>

#include "fake_teams.hpp"
#include "loop.hpp"
#include "microalign/net/https_client.hpp"
#include "microalign/net/url.hpp"
#include "test_pki.hpp"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = microalign::net;
using namespace microalign::test;
using Json = nlohmann::json;
using namespace std::chrono_literals;

namespace {

struct Fixture {
  Fixture() : loop(pki), client(loop.ioc.get_executor(), loop.tls, "127.0.0.1", fake.port()) {}

  // A token the fake issued, as the bot would hold it.
  std::string token() {
    const auto form = "grant_type=client_credentials&client_id=" + net::percent_encode(fake.options().app_id) +
                      "&client_secret=" + net::percent_encode(fake.options().app_password) +
                      "&scope=" + net::percent_encode("https://api.botframework.com/.default");
    const auto answer = send(net::HttpMethod::post, "/" + fake.options().tenant_id + "/oauth2/v2.0/token", form, "",
                             "application/x-www-form-urlencoded");
    REQUIRE(answer.status == 200);
    return "Bearer " + Json::parse(answer.body)["access_token"].get<std::string>();
  }

  net::HttpResponse send(net::HttpMethod method, std::string target, std::string body = {},
                         std::string authorization = {}, std::string content_type = "application/json") {
    net::HttpRequest request{std::move(target), body.empty() ? std::string() : std::move(content_type), std::move(body),
                             std::move(authorization), method};
    auto response = loop.run(client.request(std::move(request), 2s));
    REQUIRE(response.has_value());
    return *response;
  }

  TestPki pki;
  FakeTeams fake{pki};
  Loop loop;
  net::HttpsClient client;
};

}  // namespace

TEST_CASE("HttpsClient GETs the OpenID metadata and keys") {
  Fixture f;
  const auto metadata = f.send(net::HttpMethod::get, "/v1/.well-known/openidconfiguration");
  REQUIRE(metadata.status == 200);
  const Json document = Json::parse(metadata.body);
  CHECK(document["issuer"] == "https://api.botframework.com");
  CHECK(document["jwks_uri"] == f.fake.keys_url());
  CHECK(document["id_token_signing_alg_values_supported"] == Json::array({"RS256"}));

  const auto keys = f.send(net::HttpMethod::get, "/v1/.well-known/keys");
  REQUIRE(keys.status == 200);
  CHECK(Json::parse(keys.body) == f.fake.jwks());
  CHECK(f.fake.count(FakeTeams::keys_route) == 1);
  CHECK(f.client.connections_opened() == 1);  // kept alive across GETs
  const auto call = f.fake.calls(FakeTeams::openid_route).front();
  CHECK(call.method == "GET");
  CHECK(call.body.is_null());
}

TEST_CASE("post() stays a POST whatever method the request names") {
  Fixture f;
  const auto answer =
      f.loop.run(f.client.post(net::HttpRequest{"/v1/.well-known/keys", "", "", "", net::HttpMethod::get}, 2s));
  REQUIRE(answer.has_value());
  CHECK(answer->status == 404);
  REQUIRE(f.fake.calls().size() == 1);
  CHECK(f.fake.calls().front().method == "POST");
}

TEST_CASE("Key rotation: the keys document follows") {
  TestPki pki;
  FakeTeams fake(pki);
  const std::string first = fake.current_kid();
  CHECK(fake.jwks()["keys"].size() == 2);  // the "webchat" key and the current one
  const std::string second = fake.rotate_key(/*keep_old=*/true);
  CHECK(second != first);
  CHECK(fake.current_kid() == second);
  CHECK(fake.jwks()["keys"].size() == 3);
  const std::string third = fake.rotate_key();
  CHECK(fake.jwks()["keys"].size() == 3);
  std::vector<std::string> kids;
  const Json jwks = fake.jwks();
  for (const auto& key : jwks["keys"]) kids.push_back(key["kid"]);
  CHECK(kids == std::vector<std::string>{"fake-key-webchat", first, third});
  CHECK_NOTHROW(fake.signed_token({.key = TokenOptions::Key::named, .kid = first}));
  CHECK_THROWS(fake.signed_token({.key = TokenOptions::Key::named, .kid = second}));
}

TEST_CASE("The connector answers sends, replies, updates and new conversations") {
  Fixture f;
  const std::string token = f.token();
  CHECK(token == "Bearer fake-token-1");
  CHECK(f.fake.issued_tokens() == std::vector<std::string>{"fake-token-1"});
  const std::string channel = "19:abc@thread.tacv2";
  const std::string encoded = net::percent_encode(channel);
  CHECK(encoded == "19%3Aabc%40thread.tacv2");

  SECTION("a new channel post") {
    const Json create = {{"isGroup", true},
                         {"channelData", {{"channel", {{"id", channel}}}}},
                         {"activity", {{"type", "message"}, {"text", "digest"}}}};
    const auto answer = f.send(net::HttpMethod::post, "/v3/conversations", create.dump(), token);
    CHECK(answer.status == 201);
    const Json body = Json::parse(answer.body);
    CHECK(body["id"] == channel + ";messageid=" + body["activityId"].get<std::string>());
    const auto call = f.fake.wait_for_call(FakeTeams::create_route, 1s);
    REQUIRE(call);
    CHECK(call->body == create);
    CHECK(call->authorization == token);
  }
  SECTION("a 1:1 conversation") {
    const Json create = {{"bot", {{"id", "28:" + f.fake.options().app_id}}},
                         {"members", {{{"id", "29:user-1"}}}},
                         {"isGroup", false},
                         {"tenantId", f.fake.options().tenant_id}};
    const auto answer = f.send(net::HttpMethod::post, "/v3/conversations", create.dump(), token);
    CHECK(answer.status == 201);
    CHECK(Json::parse(answer.body)["id"] == "a:conv-29:user-1");
    Json no_tenant = create;
    no_tenant.erase("tenantId");
    CHECK(f.send(net::HttpMethod::post, "/v3/conversations", no_tenant.dump(), token).status == 400);
  }
  SECTION("send, reply, update") {
    const Json activity = {{"type", "message"}, {"text", "hello"}};
    const auto sent =
        f.send(net::HttpMethod::post, "/v3/conversations/" + encoded + "/activities", activity.dump(), token);
    CHECK(sent.status == 201);
    const std::string id = Json::parse(sent.body)["id"];
    const auto replied =
        f.send(net::HttpMethod::post, "/v3/conversations/" + encoded + "/activities/" + id, activity.dump(), token);
    CHECK(replied.status == 201);
    CHECK(Json::parse(replied.body)["id"] != id);
    const auto updated =
        f.send(net::HttpMethod::put, "/v3/conversations/" + encoded + "/activities/" + id, activity.dump(), token);
    CHECK(updated.status == 200);
    CHECK(Json::parse(updated.body)["id"] == id);

    const auto send = f.fake.calls(FakeTeams::send_route);
    REQUIRE(send.size() == 1);
    CHECK(send[0].conversation_id == channel);
    CHECK(send[0].target == "/v3/conversations/" + encoded + "/activities");
    CHECK(send[0].body == activity);
    const auto reply = f.fake.calls(FakeTeams::reply_route);
    REQUIRE(reply.size() == 1);
    CHECK(reply[0].activity_id == id);
    const auto update = f.fake.calls(FakeTeams::update_route);
    REQUIRE(update.size() == 1);
    CHECK(update[0].method == "PUT");
    CHECK(update[0].conversation_id == channel);
    CHECK(update[0].activity_id == id);
  }
  SECTION("a thread's conversation id, ';' included, decoded") {
    const std::string thread = channel + ";messageid=1712000000101";
    const Json activity = {{"type", "message"}, {"text", "in the thread"}};
    CHECK(f.send(net::HttpMethod::post, "/v3/conversations/" + net::percent_encode(thread) + "/activities",
                 activity.dump(), token)
              .status == 201);
    CHECK(f.fake.calls(FakeTeams::send_route).at(0).conversation_id == thread);
  }
}

TEST_CASE("The connector refuses what the real one would") {
  Fixture f;
  const Json activity = {{"type", "message"}, {"text", "hello"}};
  const std::string path = "/v3/conversations/a%3Aconv-1/activities";

  SECTION("no token, a token it never issued, an invalidated token: 401") {
    CHECK(f.send(net::HttpMethod::post, path, activity.dump()).status == 401);
    CHECK(f.send(net::HttpMethod::post, path, activity.dump(), "Bearer fake-token-9").status == 401);
    const std::string token = f.token();
    CHECK(f.send(net::HttpMethod::post, path, activity.dump(), token).status == 201);
    f.fake.invalidate_tokens();
    CHECK(f.send(net::HttpMethod::post, path, activity.dump(), token).status == 401);
    CHECK(f.send(net::HttpMethod::post, path, activity.dump(), f.token()).status == 201);
  }
  SECTION("a conversation id not percent-encoded: 400") {
    const auto answer =
        f.send(net::HttpMethod::post, "/v3/conversations/a:conv-1/activities", activity.dump(), f.token());
    CHECK(answer.status == 400);
    CHECK(Json::parse(answer.body)["error"]["code"] == "BadArgument");
  }
  SECTION("a body that is not an activity: 400") {
    CHECK(f.send(net::HttpMethod::post, path, "not json", f.token()).status == 400);
    CHECK(f.send(net::HttpMethod::post, path, "{}", f.token()).status == 400);
  }
  SECTION("scripted answers: 429 with Retry-After, then the built-in one") {
    const std::string token = f.token();
    f.fake.reply_next(FakeTeams::send_route, Reply::rate_limited(7s));
    f.fake.reply_next(FakeTeams::send_route, connector_error(403, "ConversationBlockedByUser", "blocked"));
    const auto limited = f.send(net::HttpMethod::post, path, activity.dump(), token);
    CHECK(limited.status == 429);
    CHECK(limited.retry_after == std::chrono::seconds(7));
    const auto blocked = f.send(net::HttpMethod::post, path, activity.dump(), token);
    CHECK(blocked.status == 403);
    CHECK(Json::parse(blocked.body)["error"]["code"] == "ConversationBlockedByUser");
    CHECK(f.send(net::HttpMethod::post, path, activity.dump(), token).status == 201);
  }
  SECTION("a handler answers until cleared") {
    const std::string token = f.token();
    f.fake.on(FakeTeams::send_route, [](const TeamsCall& call) {
      return Reply::json({{"id", "handled-" + call.conversation_id}});
    });
    CHECK(Json::parse(f.send(net::HttpMethod::post, path, activity.dump(), token).body)["id"] == "handled-a:conv-1");
    CHECK(Json::parse(f.send(net::HttpMethod::post, path, activity.dump(), token).body)["id"] == "handled-a:conv-1");
    f.fake.clear_handler(FakeTeams::send_route);
    CHECK(f.send(net::HttpMethod::post, path, activity.dump(), token).status == 201);
  }
  SECTION("unknown routes: 404") {
    CHECK(f.send(net::HttpMethod::get, "/v3/conversations").status == 404);
    CHECK(f.send(net::HttpMethod::put, "/v3/conversations/x/activities", "{}").status == 404);
  }
}

TEST_CASE("The sample activities have Teams' shapes and name the fake as their serviceUrl") {
  TestPki pki;
  FakeTeams fake(pki);
  const std::string bot = "28:" + fake.options().app_id;
  const std::string channel = "19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2";

  const Json personal = personal_message(fake, "heads-up shipping friday");
  CHECK(personal["type"] == "message");
  CHECK(personal["serviceUrl"] == fake.base_url());
  CHECK(personal["channelId"] == "msteams");
  CHECK(personal["recipient"]["id"] == bot);
  CHECK(personal["conversation"]["conversationType"] == "personal");
  CHECK(personal["channelData"]["tenant"]["id"] == fake.options().tenant_id);

  const Json mention = channel_mention(fake, "status ENG-42 done", channel, {.id = "1712000000999"});
  CHECK(mention["text"] == "<at>microalign</at> status ENG-42 done\n");
  CHECK(mention["conversation"]["id"] == channel + ";messageid=1712000000999");
  CHECK(mention["entities"][0]["mentioned"]["id"] == bot);
  CHECK(mention["channelData"]["channel"]["id"] == channel);

  const Json added = bot_added_to_team(fake, channel);
  CHECK(added["type"] == "conversationUpdate");
  CHECK(added["membersAdded"][0]["id"] == added["recipient"]["id"]);
  CHECK(added["channelData"]["eventType"] == "teamMemberAdded");

  const Json value = {{"ma", "nudge"}, {"op", "snooze"}, {"snooze_days", "2"}};
  const Json click = card_submit(fake, value, "1712000000500", "a:conv-29:user");
  CHECK(click["text"] == "");
  CHECK(click["value"] == value);
  CHECK(click["replyToId"] == "1712000000500");
  CHECK(click["conversation"]["conversationType"] == "personal");

  CHECK(personal_message(fake, "a")["id"] != personal_message(fake, "b")["id"]);
}

TEST_CASE("post_activity POSTs the activity with its Authorization over plain HTTP") {
  TestPki pki;
  FakeTeams fake(pki);
  asio::io_context ioc;
  asio::ip::tcp::acceptor acceptor(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  const auto port = acceptor.local_endpoint().port();
  http::request<http::string_body> received;
  std::thread bot([&] {
    asio::ip::tcp::socket socket(ioc);
    acceptor.accept(socket);
    beast::flat_buffer buffer;
    http::read(socket, buffer, received);
    http::response<http::string_body> response{http::status::ok, 11};
    response.set(http::field::content_type, "application/json");
    response.body() = R"({"status":200})";
    response.prepare_payload();
    http::write(socket, response);
  });
  const Json activity = personal_message(fake, "hello");
  const std::string authorization = fake.authorization();
  const auto answer = FakeTeams::post_activity(port, activity, authorization);
  bot.join();
  CHECK(answer.status == 200);
  CHECK(answer.body == R"({"status":200})");
  CHECK(received.method() == http::verb::post);
  CHECK(received.target() == "/api/messages");
  CHECK(received[http::field::authorization] == authorization);
  CHECK(Json::parse(received.body()) == activity);

  acceptor.close();
  CHECK(FakeTeams::post_activity(port, activity, authorization, 500ms).status == 0);  // nobody listens
}
