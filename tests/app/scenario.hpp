// The people and the events of the application's scenarios: Alice and Bob in channel C1 of
// workspace T1 on the test platform, unless a test says otherwise. Answers are checked for their
// gist (Catch's Contains); their wording is the core's, tested there.
#pragma once

#include <catch2/catch.hpp>
#include <string>

#include "app_harness.hpp"
#include "microalign/core/message.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::test {

using Catch::Matchers::Contains;

inline const app::Person alice{"U1", "Alice"};
inline const app::Person bob{"U2", "Bob"};

// `/status …` or `/heads-up …` typed in C1.
inline app::UpdatePosted slash(Command kind, const std::string& text, const app::Person& author = alice) {
  app::UpdatePosted e;
  e.command = kind == Command::status ? "/status" : "/heads-up";
  e.kind = kind;
  e.where = {"T1", "C1", {}};
  e.author = author;
  e.text = RichText{plain(text)};
  e.reply_handle = "answer-" + e.command;
  return e;
}
inline app::UpdatePosted status(const std::string& text, const app::Person& author = alice) {
  return slash(Command::status, text, author);
}
inline app::UpdatePosted heads_up(const std::string& text, const app::Person& author = alice) {
  return slash(Command::heads_up, text, author);
}

// `@microalign …` posted in C1 as the message `ref` (its echo goes in the thread it starts);
// the event carries no name for its author.
inline app::UpdatePosted mention(const std::string& text, const std::string& ref, const std::string& event_id,
                                 const std::string& author = "U1") {
  app::UpdatePosted e;
  e.command = "@microalign";
  e.kind = Command::mention;
  e.where = {"T1", "C1", {}};
  e.author = {author, ""};
  e.text = RichText{plain(text)};
  e.event_id = event_id;
  e.source_ref = ref;
  e.echo_thread = ref;
  return e;
}

// `/microalign …` typed in C1.
inline app::CommandIssued command(RichText text, const app::Person& asker = alice, const std::string& channel = "C1") {
  app::CommandIssued e;
  e.where = {"T1", channel, {}};
  e.asker = asker;
  e.text = std::move(text);
  e.reply_handle = "answer-/microalign";
  return e;
}
inline app::CommandIssued command(const std::string& text, const app::Person& asker = alice,
                                  const std::string& channel = "C1") {
  return command(RichText{plain(text)}, asker, channel);
}

}  // namespace microalign::test
