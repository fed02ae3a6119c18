// Regression: "The URL reader is quadratic", in the form the issue saw it: a /heads-up of
// "http://&lt;" repeated to 16 KB, escaped as Slack sends it. The reading itself is checked in
// tests/core/url_reader_linear_test.cpp and timed by tests/bench/parse_bench.
#include <catch2/catch.hpp>

#include "microalign/core/parse.hpp"
#include "microalign/slack/mrkdwn.hpp"

namespace microalign::slack {
namespace {

TEST_CASE("a heads-up of \"http://&lt,\" repeated to 16 KB reads as the text it is") {
  std::string escaped;
  std::string typed;
  while (escaped.size() < 16 * 1024) {
    escaped += "http://&lt;";
    typed += "http://<";
  }
  const auto update = parse_update(Command::heads_up, decode(escaped + " ENG-1 is blocked on OPS-2"), {});
  CHECK(update.text == typed + " ENG-1 is blocked on OPS-2");
  CHECK(update.kind == UpdateKind::heads_up);
  CHECK(update.links.empty());
  CHECK(update.tickets == std::vector<std::string>{"ENG-1", "OPS-2"});
  CHECK(update.state == TicketState::blocked);
  CHECK(update.blocked_on == "OPS-2");
}

}  // namespace
}  // namespace microalign::slack
