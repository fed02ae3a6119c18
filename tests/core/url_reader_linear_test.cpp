// Regression: "The URL reader is quadratic". A /heads-up of "http://&lt;" repeated to 16 KB held
// the event loop for ~0.2 s: the update reader listed every link in the rest of the text at each
// "http://", and trimming a URL's trailing ')' searched it for a '(' once per ')'. These check
// what the hostile shapes read as; the time they take is measured by tests/bench/parse_bench.
#include <catch2/catch.hpp>

#include "microalign/core/parse.hpp"

namespace microalign {
namespace {

using Strings = std::vector<std::string>;

constexpr std::size_t issue_bytes = 16 * 1024;

// `head`, then `unit` repeated until the text is 16 KB long.
std::string hostile(std::string_view unit, std::string head = {}) {
  while (head.size() < issue_bytes) head += unit;
  return head;
}

TEST_CASE("leading_link is the URL the text starts with, as find_links lists it") {
  CHECK(leading_link("https://x.io/a, then more") == "https://x.io/a");
  CHECK(leading_link("HTTPS://X.IO/C! https://x.io/d") == "HTTPS://X.IO/C");
  CHECK(leading_link("http://x.io/q?a=1&b=2\"") == "http://x.io/q?a=1&b=2");
  CHECK(leading_link("https://en.wikipedia.org/wiki/Foo_(bar).") == "https://en.wikipedia.org/wiki/Foo_(bar)");
  CHECK(leading_link("http://x.io/b).") == "http://x.io/b");
  for (const std::string_view none : {"", "http", "https:", "http://", "https://.", "http://<x", "ftp://x.io",
                                      " http://x.io", "xhttp://x.io", "see http://x.io", "a://http://x.io"}) {
    INFO(none);
    CHECK(leading_link(none).empty());
  }
}

TEST_CASE("16 KB of \"http://<\" repeated names no link and hides nothing after it") {
  const auto text = hostile("http://<") + " ENG-1 is blocked on OPS-2";
  CHECK(find_links(text).empty());
  CHECK(leading_link(text).empty());
  const auto update = parse_update(Command::status, text, {});
  CHECK(update.links.empty());
  CHECK(update.tickets == Strings{"ENG-1", "OPS-2"});
  CHECK(update.state == TicketState::blocked);
  CHECK(update.blocked_on == "OPS-2");
}

TEST_CASE("a URL in every few bytes of 16 KB without spaces is read one URL at a time") {
  const auto many = hostile("http://x.io/done<");
  CHECK(leading_link(many) == "http://x.io/done");
  const auto update = parse_update(Command::heads_up, many, {});
  CHECK(update.links == Strings{"http://x.io/done"});
  CHECK_FALSE(update.state);  // "done" inside each URL is part of the URL, never a cue

  const auto rejected = hostile("http://.,;<") + " ENG-1 done";
  CHECK(find_links(rejected).empty());
  CHECK(parse_update(Command::status, rejected, {}).state == TicketState::done);

  const auto one_long_url = hostile("http://");
  CHECK(find_links(one_long_url) == Strings{one_long_url});
  CHECK(leading_link(one_long_url) == one_long_url);
}

TEST_CASE("16 KB of punctuation after a URL is trimmed, a ')' only when nothing opened it") {
  const std::string url = "https://x.io/a";
  for (const std::string_view trailing : {")", ".)", ").", ".!?,;:'*_~]}"}) {
    INFO(trailing);
    const auto text = hostile(trailing, url);
    CHECK(find_links(text) == Strings{url});
    CHECK(leading_link(text) == url);
    CHECK(parse_update(Command::heads_up, text + " ENG-3 done", {}).state == TicketState::done);
  }

  const std::string wikipedia = "https://en.wikipedia.org/wiki/Foo_(bar)";
  CHECK(find_links(hostile(wikipedia + ", ")) == Strings{wikipedia});
  const auto unspaced = hostile(wikipedia);
  CHECK(find_links(unspaced) == Strings{unspaced});
}

TEST_CASE("16 KB of GitHub links and fragments name each pull request once") {
  CHECK(find_tickets(hostile("https://github.com/a/b/pull/"), {}, {}).empty());

  std::string spaced;
  Strings pulls;
  Strings tickets;
  for (int n = 0; spaced.size() < issue_bytes; ++n) {
    pulls.push_back("https://github.com/a/b/pull/" + std::to_string(n));
    tickets.push_back("a/b#" + std::to_string(n));
    spaced += pulls.back() + ", ";
  }
  const auto update = parse_update(Command::heads_up, spaced, {});
  CHECK(update.links == pulls);
  CHECK(update.tickets == tickets);
}

}  // namespace
}  // namespace microalign
