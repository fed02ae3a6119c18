// Decisions through the test platform: `/decision` and `decision:` stored with their echo in one
// transaction, refused when not in the form or superseding nothing known, stored once however
// often delivered, and read back by `/microalign decisions`, ticket timelines and the digest.
#include "scenario.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace std::chrono_literals;

namespace {

app::UpdatePosted decision(const std::string& text, const app::Person& author = alice) {
  auto e = slash(Command::decision, text, author);
  e.command = "/decision";
  e.reply_handle = "answer-/decision";
  return e;
}

std::vector<Decision> decisions(AppHarness& h) {
  return h.read([](storage::Store& s) { return s.decisions({}); });
}

}  // namespace

TEST_CASE("a /decision is stored with its owner, its echo queued for the channel, and a receipt answered",
          "[decisions]") {
  AppHarness h;
  TestResponder author;
  h.deliver(decision("Storage: we use PostgreSQL for ENG-42 because replicas share it impact: ops runs it"), author);

  const auto stored = decisions(h);
  REQUIRE(stored.size() == 1);
  const auto& d = stored.front();
  CHECK(d.owner == "U1");
  CHECK(d.where.channel == "C1");
  CHECK(d.parsed.title == "Storage");
  CHECK(d.parsed.impact == "ops runs it");
  CHECK(d.parsed.tickets == std::vector<std::string>{"ENG-42"});
  CHECK_THAT(author.answer(), Contains("Saved — decision D" + std::to_string(d.id) + " · Storage"));
  CHECK(h.updates().empty());  // a decision is not an update
  CHECK(h.metric(R"(microalign_decisions_stored_total{platform="test"})") == 1);
  CHECK(h.metric(R"(microalign_updates_stored_total{platform="test"})") == 0);

  const auto queued = h.pending();
  REQUIRE(queued.size() == 1);
  CHECK(queued.front().destination == "C1");
  CHECK(queued.front().reply_handle == "answer-/decision");
  CHECK_THAT(plain_text(queued.front().message), Contains("Decision D" + std::to_string(d.id) + " · Storage"));
  CHECK_THAT(plain_text(queued.front().message), Contains("Because: replicas share it"));
  const auto named = people_named(queued.front().message);
  REQUIRE(named.size() == 1);
  CHECK(named[0].text == "@Alice");
  CHECK_FALSE(named[0].mention);
}

TEST_CASE("a decision not in the form is refused with an example, and nothing is stored", "[decisions]") {
  AppHarness h;
  TestResponder author;
  h.deliver(decision("we use PostgreSQL"), author);
  CHECK_THAT(author.answer(), Contains("/decision Storage: we use PostgreSQL because"));
  CHECK(decisions(h).empty());
  CHECK(h.pending().empty());
}

TEST_CASE("a decision supersedes a known one, and superseding an unknown one is refused", "[decisions]") {
  AppHarness h;
  TestResponder first;
  h.deliver(decision("Storage: SQLite because one process is enough"), first);
  const auto old_id = decisions(h).front().id;

  TestResponder wrong;
  h.deliver(decision("supersedes D" + std::to_string(old_id + 40) + ": Storage: PostgreSQL because replicas"), wrong);
  CHECK_THAT(wrong.answer(), Contains("There is no decision D" + std::to_string(old_id + 40) + " here to supersede"));
  CHECK(decisions(h).size() == 1);

  TestResponder right;
  h.deliver(decision("supersedes D" + std::to_string(old_id) + ": Storage: PostgreSQL because replicas"), right);
  const auto stored = decisions(h);
  REQUIRE(stored.size() == 2);
  CHECK(stored.front().superseded_by == stored.back().id);
  CHECK(stored.back().parsed.supersedes == old_id);
}

TEST_CASE("decision: in a mention is a decision, echoed in its thread, stored once however often delivered",
          "[decisions]") {
  AppHarness h;
  for (int delivery = 0; delivery < 2; ++delivery) {
    TestResponder responder;
    h.deliver(mention("decision: Freeze: no deploys Friday because on-call is thin", "m1", "Ev1"), responder);
    CHECK(responder.acknowledged());
    CHECK(responder.answer().empty());  // the echo in the thread is the confirmation
  }
  const auto stored = decisions(h);
  REQUIRE(stored.size() == 1);
  CHECK(stored.front().source_ref == "m1");
  const auto queued = h.pending();
  REQUIRE(queued.size() == 1);
  CHECK(queued.front().thread == "m1");

  SECTION("as a message written to the bot, `decision` first") {
    app::MessageToBot message;
    message.where = {"T1", "C1", {}};
    message.author = bob;
    message.text = RichText{plain("decision API: stay on v1 because clients pin it")};
    message.event_id = "Ev2";
    message.source_ref = "m2";
    message.echo_thread = "m2";
    TestResponder responder;
    h.deliver(message, responder);
    REQUIRE(decisions(h).size() == 2);
    CHECK(decisions(h).back().owner == "U2");
  }
}

TEST_CASE("/microalign decisions lists the channel's, privately, newest first", "[decisions]") {
  AppHarness h;
  TestResponder a;
  h.deliver(decision("Storage: SQLite because one process"), a);
  h.clock.advance(std::chrono::days{10});
  TestResponder b;
  h.deliver(decision("API: stay on v1 because clients pin it"), b);
  auto elsewhere = decision("Elsewhere: x because y");
  elsewhere.where.channel = "C2";
  TestResponder c;
  h.deliver(elsewhere, c);

  TestResponder asker;
  h.deliver(command("decisions 7d"), asker);
  CHECK_THAT(asker.answer(), Contains("1 decision in the last 7 days"));
  CHECK_THAT(asker.answer(), Contains("API — stay on v1"));
  CHECK_THAT(asker.answer(), !Contains("Storage"));

  TestResponder all;
  h.deliver(command("decisions"), all);
  CHECK_THAT(all.answer(), Contains("2 decisions in the last 30 days"));
  CHECK(all.answer().find("API") < all.answer().find("Storage"));
  CHECK_THAT(all.answer(), !Contains("Elsewhere"));
}

TEST_CASE("a ticket's timeline and the digest show the decisions", "[decisions][digests]") {
  AppHarness h;
  TestResponder author;
  h.deliver(status("ENG-42 on track"), author);
  h.deliver(decision("Storage: PostgreSQL for ENG-42 because replicas"), author);
  const auto id = "D" + std::to_string(decisions(h).front().id);

  TestResponder asker;
  h.deliver(command("ticket ENG-42"), asker);
  CHECK_THAT(asker.answer(), Contains("Decisions naming it"));
  CHECK_THAT(asker.answer(), Contains(id + " · "));

  TestResponder digest;
  h.deliver(command("digest now"), digest);
  CHECK_THAT(digest.answer(), Contains("Posting the digest now"));
  bool listed = false;
  for (const auto& m : h.pending()) {
    const auto text = plain_text(m.message);
    if (text.find("🧭 Decisions") != std::string::npos && text.find(id + " · Storage") != std::string::npos) {
      listed = true;
    }
  }
  CHECK(listed);
}
