// Hostile and broken input through the whole Slack adapter: the fake Slack sends real frames to
// the real link, receiver, application and SQLite store, and every answer is read back off the
// wire. (Deep JSON, huge text, typed broadcasts in an echo, invalid UTF-8 and malformed frames
// are in deep_json_reply_test.cpp and app_test.cpp.)
#include <algorithm>
#include <catch2/catch.hpp>

#include "bot_harness.hpp"
#include "microalign/core/text.hpp"

using namespace microalign;
using namespace microalign::test;

namespace {

struct Hostile {
  TestPki pki;
  FakeSlack slack;
  TempDir dir;
  Config config;
  int envelopes = 0;

  explicit Hostile(FakeSlack::Options options = {})
      : slack(pki, std::move(options)), config(config_for(slack, dir.path() / "microalign.db")) {
    pki.trust();
  }

  std::string next_id() { return "env-" + std::to_string(++envelopes); }

  // Sends a slash command and returns its acknowledgement (REQUIREd: the author always gets one).
  nlohmann::json command(const std::string& name, const std::string& text, std::chrono::milliseconds wait = 3s) {
    const auto id = next_id();
    slack.send_envelope(slash_command(id, name, text, "U111", "C111", slack.response_url(id)));
    auto ack = slack.wait_for_ack(id, wait);
    REQUIRE(ack);
    return *ack;
  }

  // Everything the bot sent that a person could see: posts, ephemerals, edits, responses.
  std::string everything_said() const {
    std::string all;
    for (const auto& call : slack.calls()) {
      if (call.method.starts_with("chat.") || call.method == FakeSlack::response_url_method) {
        all += call.params.dump() + "\n";
      }
    }
    return all;
  }
};

std::string ack_text(const nlohmann::json& ack) { return ack["payload"].value("text", std::string{}); }

bool valid_utf8(const std::string& text) { return sanitize_utf8(text) == text; }

// Within Block Kit's limits: at most 50 blocks, no string in them over 3,000 bytes.
void check_within_block_kit_limits(const nlohmann::json& post) {
  CHECK(post.at("blocks").size() <= 50);
  std::size_t longest = 0;
  const std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& j) {
    if (j.is_string()) longest = std::max(longest, j.get_ref<const std::string&>().size());
    if (j.is_structured()) {
      for (const auto& child : j) walk(child);
    }
  };
  walk(post.at("blocks"));
  CHECK(longest <= 3000);
}

}  // namespace

TEST_CASE("a hello with num_connections 1e10 and an envelope with retry_attempt 3e9 are served, not undefined",
          "[app][security][numbers]") {
  Hostile s({.send_hello = false});
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(1, 5s));
  const int socket = s.slack.open_sockets().at(0);
  // Written by hand: the numbers are doubles far outside int's range.
  s.slack.send_text(socket,
                    R"({"type":"hello","num_connections":1e10,"debug_info":{"approximate_connection_time":1e300}})");
  auto envelope = slash_command("env-1", "/status", "ENG-1 on track", "U111", "C111", s.slack.response_url("r1"));
  envelope["retry_attempt"] = 3e9;
  envelope["retry_reason"] = "timeout";
  s.slack.send_envelope(envelope, socket);
  REQUIRE(s.slack.wait_for_ack("env-1", 3s));
  CHECK(bot.updates().size() == 1);
}

TEST_CASE("a 1 MiB frame is answered, and the bot keeps serving with nothing lost", "[app][security]") {
  Hostile s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  const std::string mebibyte(1024 * 1024, 'x');
  const auto big = s.command("/status", "ENG-1 on track " + mebibyte, 10s);
  CHECK_FALSE(ack_text(big).empty());
  const auto after = s.command("/status", "ENG-2 done");
  CHECK(ack_text(after).starts_with("Saved"));
  const auto updates = bot.updates();
  REQUIRE(updates.size() == 2);
  // Both acknowledged after their commit, and both echoed within Slack's limits.
  REQUIRE(eventually([&] { return s.slack.posted_messages().size() == 2; }, 5s));
  for (const auto& posted : s.slack.posted_messages()) check_within_block_kit_limits(posted);
}

TEST_CASE("a slash text of 10,000 characters is stored whole and answered, in any script", "[app][security]") {
  Hostile s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  const char* const characters[] = {"x", "\xC3\xA9", "\xE6\x97\xA5", "\xF0\x9F\x98\x80"};  // 1 to 4 bytes
  int ticket = 0;
  for (const char* character : characters) {
    INFO(character);
    std::string long_text;
    for (int i = 0; i < 10'000; ++i) long_text += character;
    const auto key = "ENG-" + std::to_string(++ticket);
    CHECK(ack_text(s.command("/status", key + " on track " + long_text)).starts_with("Saved"));
    const auto updates = bot.updates();
    REQUIRE(updates.size() == static_cast<std::size_t>(ticket));
    const auto stored =
        std::find_if(updates.begin(), updates.end(), [&](const Update& u) { return u.parsed.tickets.at(0) == key; });
    REQUIRE(stored != updates.end());
    CHECK(stored->parsed.text.find(long_text) != std::string::npos);
  }
}

TEST_CASE("no broadcast form comes out of an echo, a receipt, a digest or a DM reply as a live broadcast",
          "[app][security]") {
  Hostile s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  const std::string broadcasts =
      "<!channel> <!here> <!everyone> <!subteam^S123|@team> <!here|here> @channel @here @everyone "
      "&lt;!channel&gt; &amp;lt;!here&amp;gt; <<!channel>> <https://x.io|<!channel>>";
  const auto receipt = s.command("/status", "ENG-42 on track " + broadcasts);
  CHECK(receipt.dump().find("<!") == std::string::npos);
  s.command("/heads-up", broadcasts);
  REQUIRE(eventually([&] { return s.slack.posted_messages().size() == 2; }, 5s));
  CHECK(ack_text(s.command("/microalign", "digest now")) == "Posting the digest now.");
  REQUIRE(eventually([&] { return s.slack.posted_messages().size() == 3; }, 5s));
  const auto dm = s.next_id();
  s.slack.send_envelope(direct_message(dm, "Ev1", "ENG-42 done " + broadcasts, "U111", "D111"));
  REQUIRE(s.slack.wait_for_ack(dm, 3s));
  std::this_thread::sleep_for(300ms);  // whatever the DM brings, given time to be posted

  const auto said = s.everything_said();
  CHECK(said.find("<!") == std::string::npos);
  CHECK(said.find("ENG-42") != std::string::npos);
  // Typed "@channel" is plain text to Slack unless a post asks it to link names: none does.
  for (const auto& call : s.slack.calls()) {
    INFO(call.method);
    CHECK_FALSE(call.params.contains("link_names"));
    CHECK_FALSE(call.params.contains("parse"));
  }
}

TEST_CASE("a thousand ticket keys in one text are answered promptly, with output within Slack's limits",
          "[app][security]") {
  Hostile s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  std::string keys;
  for (int i = 1; i <= 1000; ++i) keys += "ENG-" + std::to_string(i) + " ";
  const auto receipt = s.command("/status", keys + "on track");
  CHECK(ack_text(receipt).starts_with("Saved"));
  check_within_block_kit_limits(receipt["payload"]);
  CHECK(ack_text(receipt).size() <= 40'000);
  REQUIRE(bot.updates().size() == 1);
  CHECK(bot.updates()[0].parsed.tickets.size() == 1000);
  REQUIRE(eventually([&] { return s.slack.posted_messages().size() == 1; }, 5s));
  const auto echo = s.slack.posted_messages().at(0);
  check_within_block_kit_limits(echo);
  CHECK(ack_text(s.command("/status", "ENG-1001 done")).starts_with("Saved"));  // still serving
}

TEST_CASE("a lone surrogate escape in a slash command is answered, and stored as valid UTF-8", "[app][security]") {
  Hostile s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  const int socket = s.slack.open_sockets().at(0);
  // Built by hand: JSON libraries write no lone surrogate, but JavaScript's JSON.stringify does
  // for half an emoji. The parser refused the whole frame, which was then never acknowledged.
  auto frame =
      slash_command("env-1", "/status", "ENG-5 on track PLACEHOLDER", "U111", "C111", s.slack.response_url("r1"))
          .dump();
  frame.replace(frame.find("PLACEHOLDER"), 11, R"(half \ud83d an emoji \udc00)");
  s.slack.send_text(socket, frame);
  const auto ack = s.slack.wait_for_ack("env-1", 3s);
  REQUIRE(ack);
  CHECK(ack_text(*ack).starts_with("Saved"));
  const auto updates = bot.updates();
  REQUIRE(updates.size() == 1);
  CHECK(valid_utf8(updates[0].parsed.text));
  CHECK(updates[0].parsed.text.find("half \xEF\xBF\xBD an emoji \xEF\xBF\xBD") != std::string::npos);
}

TEST_CASE("SQL metacharacters are stored and echoed verbatim, and harm nothing", "[app][security]") {
  Hostile s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  const std::string sql = R"('; DROP TABLE updates; -- 100% of a_b \ "quoted" ' OR '1'='1)";
  CHECK(ack_text(s.command("/status", "ENG-9 on track " + sql)).starts_with("Saved"));
  CHECK(ack_text(s.command("/status", "ENG-10 done")).starts_with("Saved"));
  const auto updates = bot.updates();
  REQUIRE(updates.size() == 2);
  const auto stored =
      std::find_if(updates.begin(), updates.end(), [](const Update& u) { return u.parsed.tickets.at(0) == "ENG-9"; });
  REQUIRE(stored != updates.end());
  CHECK(stored->parsed.text.find(sql) != std::string::npos);
  REQUIRE(eventually([&] { return s.slack.posted_messages().size() == 2; }, 5s));
  const auto as_json = nlohmann::json(sql).dump();  // the echo is JSON: quotes and \ escaped
  CHECK(s.everything_said().find(as_json.substr(1, as_json.size() - 2)) != std::string::npos);
}

TEST_CASE("a Web API reply of the wrong shape is an error, not an exception that stops the outbox", "[app][security]") {
  Hostile s;
  BotHarness bot(s.config);
  REQUIRE(s.slack.wait_for_connections(2, 5s));
  // value("ts", "") threw on a number, and value() of anything on an array: the outbox sender,
  // reading its own post's reply, stopped for good and no echo went out again.
  for (const char* odd : {R"({"ok":true,"ts":1700000000.5})", R"({"ok":"true","error":5})", "[]", "5"}) {
    INFO(odd);
    s.slack.reply_next("chat.postMessage", Reply{200, {}, odd});
  }
  for (int ticket = 1; ticket <= 5; ++ticket) {
    CHECK(ack_text(s.command("/status", "ENG-" + std::to_string(ticket) + " on track")).starts_with("Saved"));
  }
  // One echo went out with its ts unread, three failed as errors Slack gave no reason for, and
  // the fifth is posted as usual: the outbox still runs.
  REQUIRE(eventually([&] { return s.slack.posted_messages().size() == 1; }, 10s));
  CHECK(s.slack.posted_messages().at(0).dump().find("ENG-") != std::string::npos);
  CHECK(s.slack.calls("chat.postMessage").size() == 5);
}
