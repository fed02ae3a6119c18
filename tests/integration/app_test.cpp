// The whole Slack adapter against a fake Slack speaking the real protocol: HTTPS Web API and
// WSS Socket Mode over loopback TLS, verified against a CA made for the test.
#include <catch2/catch.hpp>

#include <SQLiteCpp/Database.h>

#include "bot_harness.hpp"

using namespace microalign;
using namespace microalign::test;

namespace {

struct Scenario {
  TestPki pki;
  FakeSlack slack{pki};
  TempDir dir;
  Config config = config_for(slack, dir.path() / "microalign.db");

  Scenario() { pki.trust(); }

  // Every text the bot posted with chat.postMessage, concatenated.
  std::string posted_text() const {
    std::string all;
    for (const auto& m : slack.posted_messages()) all += m.dump() + "\n";
    return all;
  }
};

std::string ack_text(const nlohmann::json& ack) { return ack["payload"].value("text", std::string{}); }

}  // namespace

TEST_CASE("the bot opens two sockets, each after a fresh apps.connections.open, and waits for hello",
          "[app]") {
  Scenario s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  CHECK(s.slack.calls("auth.test").size() == 1);
  CHECK(s.slack.calls("apps.connections.open").size() == 2);
  for (const auto& call : s.slack.calls("apps.connections.open")) {
    CHECK(call.authorization == "Bearer " + FakeSlack::Options{}.app_token);
  }
  CHECK(bot.stop().empty());
}

TEST_CASE("/heads-up is stored, acknowledged after the commit, and echoed", "[app]") {
  Scenario s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));

  const auto started = std::chrono::steady_clock::now();
  s.slack.send_envelope(slash_command("env-1", "/heads-up",
                                      "we just merged <https://github.com/acme/web/pull/9|this change> that fixes the flaky export",
                                      "U111", "C111", s.slack.response_url("r1")));
  auto ack = s.slack.wait_for_ack("env-1", 3s);
  REQUIRE(ack);
  CHECK(std::chrono::steady_clock::now() - started < 3s);
  CHECK(ack_text(*ack).starts_with("Saved: heads_up · done · acme/web#9"));
  CHECK((*ack)["payload"]["response_type"] == "ephemeral");

  // Acknowledged means committed: the update is in the database by the time the ack is out.
  auto updates = bot.updates();
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].where.channel == "C111");
  CHECK(updates[0].user == "U111");
  CHECK(updates[0].source == UpdateSource::slash);
  CHECK(updates[0].parsed.kind == UpdateKind::heads_up);
  CHECK(updates[0].parsed.links == std::vector<std::string>{"https://github.com/acme/web/pull/9"});

  auto post = s.slack.wait_for_call("chat.postMessage", 3s);
  REQUIRE(post);
  CHECK(post->authorization == "Bearer " + FakeSlack::Options{}.bot_token);
  CHECK(post->params["channel"] == "C111");
  const auto blocks = post->params["blocks"].dump();
  CHECK(blocks.find("<https://github.com/acme/web/pull/9|this change>") != std::string::npos);
  CHECK(blocks.find("from @user-U111") != std::string::npos);

  // The echo's ts is kept: digests and thread replies will refer to it.
  REQUIRE(eventually([&] { return !bot.updates()[0].echo_ref.empty(); }));
  CHECK(bot.updates()[0].echo_ref == s.slack.posted_messages().at(0)["ts"]);
}

TEST_CASE("/status is stored with its state, and refused politely without a ticket", "[app]") {
  Scenario s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));

  s.slack.send_envelope(slash_command("env-1", "/status", "ENG-42 on track, draft PR up", "U111", "C111",
                                      s.slack.response_url("r1")));
  REQUIRE(s.slack.wait_for_ack("env-1", 3s));
  auto updates = bot.updates();
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].parsed.kind == UpdateKind::status);
  CHECK(updates[0].parsed.state == TicketState::on_track);
  CHECK(updates[0].parsed.tickets == std::vector<std::string>{"ENG-42"});

  s.slack.send_envelope(slash_command("env-2", "/status", "on track", "U111", "C111", s.slack.response_url("r2")));
  auto refusal = s.slack.wait_for_ack("env-2", 3s);
  REQUIRE(refusal);
  CHECK((*refusal)["payload"]["response_type"] == "ephemeral");
  CHECK(ack_text(*refusal).find("/status ENG-42") != std::string::npos);
  CHECK(bot.updates().size() == 1);
}

TEST_CASE("an app_mention in a thread is stored once, even when Slack delivers it twice", "[app]") {
  Scenario s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));

  const auto mention = app_mention("env-1", "Ev42", "<@UBOT> ENG-7 blocked on the staging database", "U222",
                                   "C222", "1700000000.000100", "1700000001.000200");
  s.slack.send_envelope(mention);
  REQUIRE(s.slack.wait_for_ack("env-1", 3s));
  auto redelivered = app_mention("env-2", "Ev42", "<@UBOT> ENG-7 blocked on the staging database", "U222",
                                 "C222", "1700000000.000100", "1700000001.000200");
  redelivered["retry_attempt"] = 1;
  redelivered["retry_reason"] = "timeout";
  s.slack.send_envelope(redelivered);
  REQUIRE(s.slack.wait_for_ack("env-2", 3s));

  auto updates = bot.updates();
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].source == UpdateSource::mention);
  CHECK(updates[0].where.thread == "1700000000.000100");
  CHECK(updates[0].parsed.kind == UpdateKind::status);
  CHECK(updates[0].parsed.state == TicketState::blocked);
  CHECK(updates[0].parsed.text.find("UBOT") == std::string::npos);

  // Echoed once, into the thread, naming the author from users.info.
  REQUIRE(eventually([&] { return s.slack.posted_messages().size() == 1; }));
  const auto echo = s.slack.posted_messages().at(0);
  CHECK(echo["thread_ts"] == "1700000000.000100");
  CHECK(echo["blocks"].dump().find("from @user-U222") != std::string::npos);
  std::this_thread::sleep_for(200ms);
  CHECK(s.slack.posted_messages().size() == 1);
}

TEST_CASE("a top-level mention is echoed into its own thread", "[app]") {
  Scenario s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  s.slack.send_envelope(app_mention("env-1", "Ev1", "<@UBOT>: heads up, ENG-9 ships Friday", "U222", "C222", {},
                                    "1700000005.000500"));
  REQUIRE(s.slack.wait_for_ack("env-1", 3s));
  REQUIRE(eventually([&] { return s.slack.posted_messages().size() == 1; }));
  CHECK(s.slack.posted_messages().at(0)["thread_ts"] == "1700000005.000500");
  CHECK(bot.updates().at(0).where.thread.empty());
}

TEST_CASE("typed broadcasts stay inert in the echo", "[app][security]") {
  Scenario s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  s.slack.send_envelope(slash_command("env-1", "/heads-up",
                                      "<!channel> <!here> <!everyone> <!subteam^S123|@eng> &lt;!channel&gt; deploy at 5",
                                      "U111", "C111", s.slack.response_url("r1")));
  REQUIRE(s.slack.wait_for_ack("env-1", 3s));
  REQUIRE(eventually([&] { return s.slack.posted_messages().size() == 1; }));
  const auto posted = s.posted_text();
  CHECK(posted.find("<!") == std::string::npos);
  CHECK(posted.find("&lt;!channel&gt;") != std::string::npos);
}

TEST_CASE("where the bot cannot post, the echo goes through the command's response", "[app]") {
  Scenario s;
  s.slack.reply_next("chat.postMessage", Reply::error("not_in_channel"));
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  s.slack.send_envelope(slash_command("env-1", "/status", "ENG-42 done", "U111", "G111", s.slack.response_url("r1")));
  REQUIRE(s.slack.wait_for_ack("env-1", 3s));

  auto in_channel = s.slack.wait_for_call(FakeSlack::response_url_method, 3s, 1);
  auto hint = s.slack.wait_for_call(FakeSlack::response_url_method, 3s, 2);
  REQUIRE(in_channel);
  REQUIRE(hint);
  CHECK(in_channel->target == "/response/r1");
  CHECK(in_channel->authorization.empty());  // the URL is the credential; no token goes with it
  CHECK(in_channel->params["response_type"] == "in_channel");
  CHECK(hint->params["response_type"] == "ephemeral");
  CHECK(hint->params["text"].get<std::string>().find("/invite @microalign") != std::string::npos);
  CHECK(bot.updates().size() == 1);
}

TEST_CASE("when storing fails the author hears so, and nothing is confirmed", "[app]") {
  Scenario s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  bot.reader()->sql().exec(
      "CREATE TRIGGER refuse BEFORE INSERT ON updates BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;");

  s.slack.send_envelope(slash_command("env-1", "/status", "ENG-42 done", "U111", "C111", s.slack.response_url("r1")));
  auto ack = s.slack.wait_for_ack("env-1", 3s);
  REQUIRE(ack);
  CHECK(ack_text(*ack).find("not recorded") != std::string::npos);
  CHECK((*ack)["payload"]["response_type"] == "ephemeral");
  std::this_thread::sleep_for(200ms);
  CHECK(s.slack.posted_messages().empty());
  CHECK(bot.updates().empty());
}

TEST_CASE("malformed frames, binary frames and unknown envelopes are survived", "[app]") {
  Scenario s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  const int socket = s.slack.open_sockets().at(0);
  s.slack.send_text(socket, "{not json");
  s.slack.send_text(socket, "[]");
  s.slack.send_binary(socket, std::string("\x00\x01\x02", 3));
  s.slack.send_text(socket, R"({"envelope_id":"env-x","type":"something_new","payload":{}})");
  s.slack.send(socket, load_sample("envelopes/interactive-block_actions-large.json"));
  s.slack.send_envelope(slash_command("env-1", "/heads-up", "still here", "U111", "C111", s.slack.response_url("r")),
                        socket);
  CHECK(s.slack.wait_for_ack("env-x", 3s));
  CHECK(s.slack.wait_for_ack(load_sample("envelopes/interactive-block_actions-large.json")["envelope_id"].get<std::string>(), 3s));
  CHECK(s.slack.wait_for_ack("env-1", 3s));
  CHECK(s.slack.socket(socket).open);
}

TEST_CASE("refresh and warning disconnects are replaced before the old socket closes", "[app][link]") {
  const auto reason = GENERATE(as<std::string>{}, "refresh_requested", "warning");
  Scenario s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  const int old_socket = s.slack.open_sockets().at(0);

  s.slack.disconnect(old_socket, reason, 3s);
  // Slack may still deliver on the socket it asked to close: that envelope is not lost.
  s.slack.send_envelope(slash_command("env-old", "/heads-up", "sent during the handover", "U1", "C1",
                                      s.slack.response_url("a")),
                        old_socket);
  REQUIRE(s.slack.wait_for_ack("env-old", 3s));

  REQUIRE(eventually([&] { return s.slack.socket_connections_opened() == 3; }));
  REQUIRE(s.slack.wait_for_closed(old_socket, 5s));
  CHECK(s.slack.socket(old_socket).client_close == 1000);
  // The replacement said hello before the old one was closed: never fewer than two open.
  CHECK(s.slack.open_sockets().size() == 2);

  s.slack.send_envelope(slash_command("env-new", "/heads-up", "after the handover", "U1", "C1", s.slack.response_url("b")));
  REQUIRE(s.slack.wait_for_ack("env-new", 3s));
  CHECK(bot.updates().size() == 2);
}

TEST_CASE("an abruptly dropped socket is reconnected", "[app][link]") {
  Scenario s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  s.slack.drop(s.slack.open_sockets().at(0));
  REQUIRE(eventually([&] { return s.slack.socket_connections_opened() == 3 && s.slack.open_sockets().size() == 2; }, 5s));
  s.slack.send_envelope(slash_command("env-1", "/heads-up", "after the drop", "U1", "C1", s.slack.response_url("r")));
  CHECK(s.slack.wait_for_ack("env-1", 3s));
}

TEST_CASE("a silent (half-open) socket is detected and replaced", "[app][link]") {
  Scenario s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  s.slack.go_silent(s.slack.open_sockets().at(0));
  // dead_link_after is 2 s in tests (30 s in production).
  CHECK(eventually([&] { return s.slack.socket_connections_opened() == 3; }, 6s));
}

TEST_CASE("too_many_websockets closes first, then reconnects", "[app][link]") {
  Scenario s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  const int socket = s.slack.open_sockets().at(0);
  s.slack.disconnect(socket, "too_many_websockets", 3s);
  REQUIRE(s.slack.wait_for_closed(socket, 3s));
  CHECK(s.slack.socket(socket).client_close == 1000);
  CHECK(eventually([&] { return s.slack.open_sockets().size() == 2; }, 5s));
}

TEST_CASE("link_disabled stops the bot with a clear error", "[app][link]") {
  Scenario s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  s.slack.disconnect(s.slack.open_sockets().at(0), "link_disabled");
  auto fatal = bot.wait_for_exit(10s);
  REQUIRE(fatal);
  CHECK(fatal->find("link_disabled") != std::string::npos);
  CHECK(fatal->find("Socket Mode") != std::string::npos);
}

TEST_CASE("a rejected token is fatal and names the token", "[app][auth]") {
  Scenario s;
  SECTION("app token") {
    s.config.slack.app_token = Secret("xapp-1-A111-111-wrong");
    BotHarness bot(s.config);
    auto fatal = bot.wait_for_exit(5s);
    REQUIRE(fatal);
    CHECK(fatal->starts_with("SLACK_APP_TOKEN was rejected by Slack (invalid_auth)"));
    CHECK(fatal->find("wrong") == std::string::npos);
  }
  SECTION("bot token") {
    s.config.slack.bot_token = Secret("xoxb-111-222-wrong");
    BotHarness bot(s.config);
    auto fatal = bot.wait_for_exit(5s);
    REQUIRE(fatal);
    CHECK(fatal->starts_with("SLACK_BOT_TOKEN was rejected by Slack (invalid_auth)"));
    CHECK(s.slack.socket_connections_opened() == 0);
  }
}

TEST_CASE("Retry-After on apps.connections.open is honoured", "[app][link]") {
  Scenario s;
  s.config.slack.connections = 1;
  s.slack.reply_next("apps.connections.open", Reply::rate_limited(1s));
  const auto started = std::chrono::steady_clock::now();
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(1, 5s));
  CHECK(std::chrono::steady_clock::now() - started >= 1s);
  CHECK(s.slack.calls("apps.connections.open").size() == 2);
}

TEST_CASE("a server certificate from an unknown CA is refused", "[app][tls]") {
  Scenario s;
  TestPki stranger;
  stranger.trust();  // the bot trusts some other CA, not the one that signed the fake's certificate
  BotHarness bot(s.config);
  std::this_thread::sleep_for(1500ms);
  CHECK(s.slack.calls().empty());  // no request got past the TLS handshake
  CHECK(s.slack.socket_connections_opened() == 0);
  CHECK(bot.stop().empty());
}

TEST_CASE("with all ten sockets Slack allows in use, a refresh closes before it replaces", "[app][link]") {
  Scenario s;
  s.config.slack.connections = 10;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(10, 10s));
  const int old_socket = s.slack.open_sockets().at(0);
  s.slack.disconnect(old_socket, "refresh_requested", 3s);
  std::size_t most_open = 0;
  REQUIRE(eventually([&] {
    most_open = std::max(most_open, s.slack.open_sockets().size());
    return s.slack.socket_connections_opened() == 11 && s.slack.open_sockets().size() == 10;
  }, 6s));
  CHECK(most_open <= 10);
  CHECK(s.slack.socket(old_socket).client_close == 1000);
}

TEST_CASE("huge text is stored cut to size, and echoed", "[app][security]") {
  Scenario s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  const std::string text = "ENG-42 on track " + std::string(200 * 1024, 'x') + " <!channel>";
  s.slack.send_envelope(slash_command("env-1", "/status", text, "U111", "C111", s.slack.response_url("r1")));
  REQUIRE(s.slack.wait_for_ack("env-1", 3s));
  auto updates = bot.updates();
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].parsed.text.size() <= 48 * 1024 + 8);
  CHECK(updates[0].parsed.state == TicketState::on_track);
  REQUIRE(eventually([&] { return s.slack.posted_messages().size() == 1; }));
  CHECK(s.posted_text().find("<!") == std::string::npos);
}

TEST_CASE("invalid UTF-8 in a text frame fails that socket, as RFC 6455 says, and the bot carries on",
          "[app][security]") {
  Scenario s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  const int socket = s.slack.open_sockets().at(0);
  auto envelope = slash_command("env-bad", "/status", "PLACEHOLDER", "U111", "C111", s.slack.response_url("r0")).dump();
  envelope.replace(envelope.find("PLACEHOLDER"), 11, "ENG-1 done \xff\xfe");  // built by hand: JSON libraries refuse
  s.slack.send_text(socket, envelope);
  REQUIRE(s.slack.wait_for_closed(socket, 3s));
  REQUIRE(eventually([&] { return s.slack.open_sockets().size() == 2; }, 5s));
  s.slack.send_envelope(slash_command("env-1", "/status", "ENG-1 done", "U111", "C111", s.slack.response_url("r1")));
  CHECK(s.slack.wait_for_ack("env-1", 3s));
  CHECK(bot.updates().size() == 1);
}
