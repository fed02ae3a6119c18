// Decisions end to end on both platforms: `/decision` and `@microalign decision: …` through the fake
// Slack, `decision: …` written to the bot through the fake Bot Framework — stored once, echoed,
// listed by `decisions`.
#include <catch2/catch.hpp>

#include "bot_harness.hpp"
#include "teams_harness.hpp"

using namespace microalign;
using namespace microalign::test;

namespace {

constexpr const char* general = "19:general@thread.tacv2";

std::vector<Decision> decisions(const BotHarness& bot) { return bot.reader()->decisions({}); }

std::string card_text(const nlohmann::json& activity) {
  return activity.at("attachments").at(0).at("content").at("body").dump();
}

}  // namespace

TEST_CASE("Slack: /decision is stored, receipted, echoed, and listed by /microalign decisions", "[decisions][app]") {
  TestPki pki;
  FakeSlack slack{pki};
  TempDir dir;
  pki.trust();
  BotHarness bot(config_for(slack, dir.path() / "microalign.db"));
  REQUIRE(slack.wait_for_connections(2, 5s));

  slack.send_envelope(slash_command("env-1", "/decision",
                                    "Storage: we use PostgreSQL for ENG-42 because replicas share it impact: ops",
                                    "U111", "C111", slack.response_url("r1")));
  const auto ack = slack.wait_for_ack("env-1", 3s);
  REQUIRE(ack);
  const auto stored = decisions(bot);
  REQUIRE(stored.size() == 1);
  const auto id = "D" + std::to_string(stored[0].id);
  CHECK((*ack)["payload"].value("text", "") == "Saved: decision " + id + " · Storage");
  CHECK(stored[0].owner == "U111");
  CHECK(stored[0].parsed.tickets == std::vector<std::string>{"ENG-42"});

  const auto post = slack.wait_for_call("chat.postMessage", 3s);
  REQUIRE(post);
  CHECK(post->params["channel"] == "C111");
  const auto blocks = post->params["blocks"].dump();
  CHECK(blocks.find("Decision " + id) != std::string::npos);
  CHECK(blocks.find("replicas share it") != std::string::npos);

  // Not in the form: refused with the example, nothing stored.
  slack.send_envelope(
      slash_command("env-2", "/decision", "we use PostgreSQL", "U111", "C111", slack.response_url("r2")));
  const auto refusal = slack.wait_for_ack("env-2", 3s);
  REQUIRE(refusal);
  CHECK((*refusal)["payload"].value("text", "").find("/decision Storage: we use PostgreSQL because") !=
        std::string::npos);

  // The same command redelivered under its envelope id (its ack lost) is stored and echoed once.
  auto again = slash_command("env-1", "/decision", "Storage: we use PostgreSQL because replicas", "U111", "C111",
                             slack.response_url("r1"));
  again["retry_attempt"] = 1;
  again["retry_reason"] = "timeout";
  slack.send_envelope(again);
  // Acknowledged again with the receipt again: the first may never have reached its author.
  const auto receipts = [&] {
    std::vector<std::string> texts;
    for (const int socket : slack.open_sockets()) {
      for (const auto& frame : slack.socket(socket).frames) {
        if (frame.json.is_object() && frame.json.value("envelope_id", "") == "env-1")
          texts.push_back(frame.json["payload"].value("text", ""));
      }
    }
    return texts;
  };
  REQUIRE(eventually([&] { return receipts().size() == 2; }));
  CHECK(receipts() == std::vector<std::string>(2, "Saved: decision " + id + " · Storage"));
  std::this_thread::sleep_for(300ms);
  CHECK(decisions(bot).size() == 1);
  CHECK(slack.posted_messages().size() == 1);

  slack.send_envelope(slash_command("env-3", "/microalign", "decisions 7d", "U111", "C111", slack.response_url("r3")));
  const auto listing = slack.wait_for_ack("env-3", 3s);
  REQUIRE(listing);
  CHECK((*listing)["payload"]["response_type"] == "ephemeral");
  CHECK((*listing)["payload"].dump().find(id) != std::string::npos);
  CHECK(bot.stop().empty());
}

TEST_CASE("Slack: @microalign decision: in a thread is stored once and echoed in the thread", "[decisions][app]") {
  TestPki pki;
  FakeSlack slack{pki};
  TempDir dir;
  pki.trust();
  BotHarness bot(config_for(slack, dir.path() / "microalign.db"));
  REQUIRE(slack.wait_for_connections(2, 5s));

  for (const auto* envelope : {"env-1", "env-2"}) {
    slack.send_envelope(app_mention(envelope, "Ev7",
                                    "<@UBOT> decision: Freeze: no deploys Friday because on-call is thin", "U222",
                                    "C222", "1700000000.000100", "1700000001.000200"));
    REQUIRE(slack.wait_for_ack(envelope, 3s));
  }
  const auto stored = decisions(bot);
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].parsed.title == "Freeze");
  CHECK(stored[0].where.thread == "1700000000.000100");
  CHECK(stored[0].source_ref == "1700000001.000200");
  REQUIRE(eventually([&] { return slack.posted_messages().size() == 1; }));
  CHECK(slack.posted_messages().at(0)["thread_ts"] == "1700000000.000100");
  CHECK(slack.posted_messages().at(0)["blocks"].dump().find("owner @user-U222") != std::string::npos);
  CHECK(bot.updates().empty());
  CHECK(bot.stop().empty());
}

TEST_CASE("Teams: decision: written to the bot in a channel is stored once and echoed in its thread",
          "[decisions][teams]") {
  Teams t;
  BotHarness bot(t.config);
  const auto mention =
      channel_mention(t.teams, "decision: API: stay on v1 for ENG-7 because clients pin it impact: none", general);
  CHECK(t.post(bot, mention) == 200);
  CHECK(t.post(bot, mention) == 200);  // redelivered

  const auto stored = decisions(bot);
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].where.team == t.teams.options().tenant_id);
  CHECK(stored[0].where.channel == general);
  CHECK(stored[0].owner == "29:1user-one-aad-per-bot-id");
  CHECK(stored[0].parsed.decision == "stay on v1 for ENG-7");

  const auto echo = t.teams.wait_for_call(FakeTeams::send_route, 5s);
  REQUIRE(echo);
  CHECK(echo->conversation_id == std::string(general) + ";messageid=" + mention["id"].get<std::string>());
  const auto card = card_text(echo->body);
  CHECK(card.find("Decision D" + std::to_string(stored[0].id)) != std::string::npos);
  CHECK(card.find("User One") != std::string::npos);
}

TEST_CASE("Teams: decision first in a 1:1 chat is recorded, and decisions lists it there", "[decisions][teams]") {
  Teams t;
  BotHarness bot(t.config);
  CHECK(t.post(bot, personal_message(t.teams, "decision Storage: PostgreSQL because replicas")) == 200);
  REQUIRE(decisions(bot).size() == 1);
  const auto id = "D" + std::to_string(decisions(bot)[0].id);
  CHECK(card_text(t.sent(FakeTeams::send_route)).find("Decision " + id) != std::string::npos);

  CHECK(t.post(bot, personal_message(t.teams, "decision no title here")) == 200);
  CHECK(card_text(t.sent(FakeTeams::send_route, 2)).find("@microalign decision Storage: we use PostgreSQL because") !=
        std::string::npos);
  CHECK(decisions(bot).size() == 1);

  CHECK(t.post(bot, personal_message(t.teams, "decisions")) == 200);
  const auto listing = card_text(t.sent(FakeTeams::send_route, 3));
  CHECK(listing.find("1 decision in the last 30 days") != std::string::npos);
  CHECK(listing.find(id) != std::string::npos);
}
