// A message written to the bot is read without the bot's own mention, as Slack and the sandbox
// both deliver it ("@microalign: ENG-42 on track").
#include <catch2/catch.hpp>

#include "microalign/core/message.hpp"

using namespace microalign;

TEST_CASE("the bot's mention and the punctuation after it are not part of the text", "[mention]") {
  const RichText written{user_ref("UBOT", "microalign", true), plain(": ENG-42 on track "),
                         user_ref("U1", "ana", true)};
  CHECK(without_mention_of(written, "UBOT") == RichText{plain("ENG-42 on track "), user_ref("U1", "ana", true)});
}

TEST_CASE("a message of only the mention and punctuation is empty", "[mention]") {
  CHECK(without_mention_of({user_ref("UBOT", "microalign", true), plain(" , - ")}, "UBOT").empty());
}

TEST_CASE("other people's mentions, links and channels at the start stay", "[mention]") {
  const RichText written{user_ref("U1", "ana", true), plain(" ENG-42")};
  CHECK(without_mention_of(written, "UBOT") == written);
  const RichText linked{channel_ref("C1", "web"), plain(" is blocked")};
  CHECK(without_mention_of(linked, "UBOT") == linked);
}
