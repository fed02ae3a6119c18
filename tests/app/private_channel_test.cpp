// What is posted in one channel (a private one, say) never shows in another channel's digest,
// ticket list or ticket timeline, even when both talk about the same ticket, in either order.
#include "scenario.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace std::chrono_literals;

namespace {

const std::string secret = "acquisition of Initech";

app::UpdatePosted in_private(app::UpdatePosted posted) {
  posted.where.channel = "CPRIVATE";
  return posted;
}

std::string ask_in_public(AppHarness& h, const std::string& text) {
  TestResponder asker;
  h.deliver(command(text, bob), asker);
  REQUIRE(asker.answers().size() == 1);
  return asker.answer();
}

// Everything queued for the public channel C1: echoes and digests.
std::string queued_for_public(AppHarness& h) {
  std::string all;
  for (const auto& m : h.pending()) {
    if (m.destination == "C1") all += plain_text(m.message) + "\n";
  }
  return all;
}

void check_public_channel_shows_no_secret(AppHarness& h) {
  h.clock.advance(1min);
  CHECK_THAT(ask_in_public(h, "digest now"), Contains("Posting the digest now"));
  const auto digest = queued_for_public(h);
  CHECK_THAT(digest, Contains("ENG-42"));
  CHECK_THAT(digest, !Contains(secret));
  CHECK_THAT(ask_in_public(h, "tickets"), !Contains(secret));
  const auto timeline = ask_in_public(h, "ticket ENG-42");
  CHECK_THAT(timeline, Contains("vendor"));
  CHECK_THAT(timeline, !Contains(secret));
}

}  // namespace

TEST_CASE("a ticket discussed in a private channel after a public one shows none of the private text in public",
          "[privacy]") {
  AppHarness h;
  TestResponder author;
  h.deliver(status("ENG-42 blocked on the vendor"), author);
  h.clock.advance(1min);
  h.deliver(in_private(status("ENG-42 at risk: the " + secret + " is paused")), author);
  h.deliver(in_private(heads_up("ENG-42 assuming the " + secret + " closes in May")), author);
  check_public_channel_shows_no_secret(h);
}

TEST_CASE("a ticket discussed in a private channel before a public one shows none of the private text in public",
          "[privacy]") {
  AppHarness h;
  TestResponder author;
  h.deliver(in_private(status("ENG-42 at risk: the " + secret + " is paused")), author);
  h.deliver(in_private(heads_up("ENG-42 assuming the " + secret + " closes in May")), author);
  h.clock.advance(1min);
  h.deliver(status("ENG-42 blocked on the vendor"), author);
  check_public_channel_shows_no_secret(h);
}
