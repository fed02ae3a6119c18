// What a line typed in the sandbox's composer becomes, as Slack would read it.
#include <catch2/catch.hpp>

#include "microalign/sandbox/composer.hpp"

using namespace microalign;
using namespace microalign::sandbox;

namespace {

Typing as(const char* person, const char* conversation, const char* thread = "") {
  Typing typing;
  typing.author = workspace().person(person);
  typing.conversation = conversation;
  typing.thread = thread;
  return typing;
}

Typed read(const char* text, Typing typing = as("ana", "web")) { return read_typed(text, typing, workspace()); }

}  // namespace

TEST_CASE("slash commands are updates or /microalign commands, answered where they were typed", "[sandbox][composer]") {
  const auto status = std::get<app::UpdatePosted>(read("/status ENG-42 on track"));
  CHECK(status.command == "/status");
  CHECK(status.kind == Command::status);
  CHECK(to_plain_text(status.text) == "ENG-42 on track");
  CHECK(status.where.team == "sandbox");
  CHECK(status.where.channel == "web");
  CHECK(status.author.id == "ana");
  CHECK(status.author.name == "Ana");
  CHECK(status.author.time_zone == "Europe/Lisbon");
  CHECK(status.source_ref.empty());  // a command is not a message in the channel
  CHECK(decode_reply_handle(status.reply_handle) == ReplyTo{"ana", "web", ""});

  CHECK(std::get<app::UpdatePosted>(read("/heads-up   we merged it")).kind == Command::heads_up);
  const auto decision = std::get<app::UpdatePosted>(read("/decision Storage: PostgreSQL because replicas"));
  CHECK(decision.kind == Command::decision);  // the application records it in the decision log
  CHECK(to_plain_text(decision.text) == "Storage: PostgreSQL because replicas");

  const auto unknown = std::get<app::UpdatePosted>(read("/giphy cats"));
  CHECK(unknown.command == "/giphy");
  CHECK_FALSE(unknown.kind.has_value());  // the application answers that one

  const auto command = std::get<app::CommandIssued>(read("/MicroAlign owner ENG-42 @bo"));
  CHECK(command.asker.id == "ana");
  REQUIRE(command.text.size() == 2);
  CHECK(command.text[0].text == "owner ENG-42 ");
  CHECK(command.text[1].user == "bo");
  CHECK(decode_reply_handle(command.reply_handle) == ReplyTo{"ana", "web", ""});

  const auto in_dm = std::get<app::CommandIssued>(read("/microalign away 3d", as("bo", "D-bo")));
  CHECK(in_dm.where.channel == "D-bo");
}

TEST_CASE("a line naming the bot is a mention, its echo in the line's thread", "[sandbox][composer]") {
  const auto mention = std::get<Mention>(read("@microalign: OPS-12 blocked on the staging database"));
  CHECK(to_plain_text(mention.text) == "OPS-12 blocked on the staging database");

  const auto typing = as("chen", "payments");
  const auto posted = mention_event(typing, mention.text, "m1-7", workspace());
  CHECK(posted.kind == Command::mention);
  CHECK(posted.source_ref == "m1-7");
  CHECK(posted.echo_thread == "m1-7");
  CHECK(posted.event_id == "sandbox:m1-7");
  CHECK(posted.where.thread.empty());

  const auto in_thread = mention_event(as("chen", "payments", "m1-3"), mention.text, "m1-8", workspace());
  CHECK(in_thread.echo_thread == "m1-3");
  CHECK(in_thread.where.thread == "m1-3");
}

TEST_CASE("other lines are words to people, and in a thread no slash command works", "[sandbox][composer]") {
  const auto said = std::get<Said>(read("thanks @Bo, see #payments and https://example.com/x."));
  REQUIRE(said.text.size() == 7);
  CHECK(said.text[1].user == "bo");
  CHECK(said.text[1].text == "@Bo");
  CHECK(said.text[3].channel == "payments");
  CHECK(said.text[5].url == "https://example.com/x");
  CHECK(said.text[6].text == ".");

  const auto strangers = std::get<Said>(read("@nobody in #nowhere <b>hi</b>"));
  REQUIRE(strangers.text.size() == 1);
  CHECK(strangers.text[0].text == "@nobody in #nowhere <b>hi</b>");

  CHECK(std::holds_alternative<Refused>(read("/status ENG-1 done", as("ana", "web", "m1-1"))));
  CHECK(std::holds_alternative<Said>(read("sure", as("ana", "web", "m1-1"))));
  CHECK(std::holds_alternative<Refused>(read("  \n ")));
  CHECK(to_plain_text(std::get<Said>(read("bad \xff byte")).text) == "bad \xEF\xBF\xBD byte");
}

TEST_CASE("reply handles carry who, where and which thread, and nothing else passes", "[sandbox][composer]") {
  const ReplyTo to{"ana", "web", "m1-2"};
  CHECK(decode_reply_handle(encode_reply_handle(to)) == to);
  CHECK_FALSE(decode_reply_handle("https://hooks.slack.com/commands/T1/2/x").has_value());
  CHECK_FALSE(decode_reply_handle("sandbox:ana:web").has_value());
  CHECK_FALSE(decode_reply_handle("sandbox::web:").has_value());
  CHECK_FALSE(decode_reply_handle("sandbox:ana:web:x:y").has_value());
  CHECK(direct_owner(workspace(), "D-chen") == "chen");
  CHECK_FALSE(direct_owner(workspace(), "D-zed").has_value());
  CHECK_FALSE(direct_owner(workspace(), "web").has_value());
}
