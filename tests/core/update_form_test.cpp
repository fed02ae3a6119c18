#include <catch2/catch.hpp>

#include "microalign/core/update_form.hpp"

using namespace microalign;

TEST_CASE("the form's context survives its trip through the platform", "[update_form]") {
  const UpdateFormContext context{{"C111", "acme/web#12", 42}, "D111", "1700000000.000100"};
  CHECK(decode_form_context(encode_form_context(context)) == context);
  CHECK(encode_form_context(context).size() < 3000);  // Slack's private_metadata limit
  CHECK_FALSE(decode_form_context(""));
  CHECK_FALSE(decode_form_context("not json"));
  CHECK_FALSE(decode_form_context(R"({"ticket": "no id"})"));
}

TEST_CASE("the form needs a state or a line of text", "[update_form]") {
  std::map<std::string, std::string> problems;
  CHECK_FALSE(read_update_form("", "", problems));
  CHECK(problems.count("note") == 1);

  problems.clear();
  CHECK_FALSE(read_update_form("", "  \n", problems));

  problems.clear();
  CHECK_FALSE(read_update_form("sleepy", "", problems));
  CHECK(problems.count("state") == 1);

  problems.clear();
  auto state_only = read_update_form("blocked", "", problems);
  REQUIRE(state_only);
  CHECK(state_only->state == TicketState::blocked);
  CHECK(state_only->note.empty());

  auto note_only = read_update_form("", "review tomorrow", problems);
  REQUIRE(note_only);
  CHECK_FALSE(note_only->state);
  CHECK(note_only->note == "review tomorrow");
}
