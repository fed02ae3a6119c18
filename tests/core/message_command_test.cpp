// Where there are no slash commands, the first word of a message to the bot picks the command.
#include <catch2/catch.hpp>

#include "microalign/core/message_command.hpp"

using namespace microalign;

namespace {

MessageCommand read(std::string text) { return read_message_command({plain(std::move(text))}); }

}  // namespace

TEST_CASE("heads-up and status post an update of their kind, without the command word", "[message_command]") {
  auto status = read("status ENG-42 blocked on the vendor");
  CHECK(status.kind == MessageCommand::Kind::update);
  CHECK(status.command == Command::status);
  CHECK(to_plain_text(status.text) == "ENG-42 blocked on the vendor");

  auto heads_up = read("  Heads-Up   the export moves to Monday");
  CHECK(heads_up.command == Command::heads_up);
  CHECK(to_plain_text(heads_up.text) == "the export moves to Monday");

  CHECK(read("/status ENG-42 done").command == Command::status);  // Slack habits work too
  CHECK(read("status").text.empty());                             // refused later, with an example
}

TEST_CASE("a /microalign keyword is that command, keyword included", "[message_command]") {
  for (const char* typed : {"digest now", "tz Europe/Berlin", "ticket ENG-42", "away 3d", "help", "Tickets",
                            "/microalign-free /digest now"}) {
    INFO(typed);
    const auto read_as = read(typed);
    if (std::string_view(typed).starts_with("/microalign-free")) {
      CHECK(read_as.kind == MessageCommand::Kind::update);
      continue;
    }
    CHECK(read_as.kind == MessageCommand::Kind::setting);
    CHECK(to_plain_text(read_as.text) == typed);
  }
  CHECK(to_plain_text(read("/away 3d").text) == "away 3d");
}

TEST_CASE("anything else is an update, as an @mention is", "[message_command]") {
  auto update = read("ENG-42 on track, draft PR up");
  CHECK(update.kind == MessageCommand::Kind::update);
  CHECK(update.command == Command::mention);
  CHECK(to_plain_text(update.text) == "ENG-42 on track, draft PR up");

  const auto link_first = read_message_command({microalign::link("status", "https://x.example"), plain(" ok")});
  CHECK(link_first.command == Command::mention);
  const auto person_first = read_message_command({user_ref("U1", "status", false), plain(" owns it")});
  CHECK(person_first.command == Command::mention);
  CHECK(read("").command == Command::mention);
}
