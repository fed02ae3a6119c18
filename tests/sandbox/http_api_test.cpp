// The sandbox through its HTTP API over loopback, as its page uses it, with the real application,
// outbox, schedulers and SQLite behind it: what people type, the answers only they see, digests,
// the clock moved and the nudges it brings in working hours, the nudge's buttons and form, and
// every input the page could get wrong.
#include <catch2/catch.hpp>

#include "sandbox_harness.hpp"

using namespace microalign;
using namespace microalign::test;

namespace {

bool has_text(const std::vector<Json>& entries, const std::string& needle) {
  return std::any_of(entries.begin(), entries.end(),
                     [&](const Json& e) { return text_of(e).find(needle) != std::string::npos; });
}

}  // namespace

TEST_CASE("a /status is echoed to the channel and receipted to its author alone", "[sandbox]") {
  SandboxHarness sandbox;
  const auto posted = sandbox.say("ana", "web", "/status ENG-42 on track, draft PR up");
  REQUIRE(posted.status == 200);

  const auto echo = sandbox.wait_for("web", "ENG-42 on track, draft PR up");
  REQUIRE(echo.is_object());
  CHECK(echo["only_for"] == "");
  CHECK(echo["kind"] == "bot");
  CHECK(text_of(echo).find("on track") != std::string::npos);
  CHECK(text_of(echo).find("@Ana") != std::string::npos);

  const auto receipt = sandbox.wait_for("web", "Saved", "ana");
  REQUIRE(receipt.is_object());
  CHECK(receipt["only_for"] == "ana");
  CHECK_FALSE(has_text(sandbox.seen("web", "bo"), "Saved"));

  // The page shows the echo as soon as it is posted; the outbox sender records its id in the
  // update's row just after, in its own transaction.
  std::vector<Update> updates;
  CHECK(eventually([&] {
    updates = sandbox.updates();
    return updates.size() == 1 && !updates[0].echo_ref.empty();
  }));
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].where.team == "sandbox");
  CHECK(updates[0].where.channel == "web");
  CHECK(updates[0].user == "ana");
  CHECK(updates[0].parsed.state == TicketState::on_track);
  CHECK(updates[0].echo_ref == echo["id"]);  // the page's id is the platform's message id
}

TEST_CASE("a /status without a ticket is refused privately and nothing is stored", "[sandbox]") {
  SandboxHarness sandbox;
  REQUIRE(sandbox.say("bo", "payments", "/status looking good").status == 200);
  const auto refusal = sandbox.wait_for("payments", "ticket", "bo");
  REQUIRE(refusal.is_object());
  CHECK(refusal["only_for"] == "bo");
  CHECK(sandbox.seen("payments").empty());
  CHECK(sandbox.updates().empty());
}

TEST_CASE("a /decision is echoed to the channel and receipted to its author, a wrong one refused", "[sandbox]") {
  SandboxHarness sandbox;
  REQUIRE(sandbox.say("ana", "web", "/decision Storage: PostgreSQL because replicas share it").status == 200);
  const auto echo = sandbox.wait_for("web", "Decision D1 · Storage");
  REQUIRE(echo.is_object());
  CHECK(echo["only_for"] == "");
  CHECK(text_of(echo).find("replicas share it") != std::string::npos);
  CHECK(sandbox.wait_for("web", "Saved — decision D1", "ana").is_object());

  REQUIRE(sandbox.say("bo", "web", "/decision PostgreSQL please").status == 200);
  const auto refusal = sandbox.wait_for("web", "because", "bo");
  REQUIRE(refusal.is_object());
  CHECK(refusal["only_for"] == "bo");
}

TEST_CASE("typed markup stays text, and a command it does not know is answered privately", "[sandbox][security]") {
  SandboxHarness sandbox;
  REQUIRE(sandbox.say("chen", "ops", "/heads-up <script>alert(1)</script> <!channel> *bold*").status == 200);
  const auto echo = sandbox.wait_for("ops", "<script>alert(1)</script> <!channel> *bold*");
  REQUIRE(echo.is_object());
  REQUIRE(sandbox.say("chen", "ops", "/giphy cats").status == 200);
  CHECK(sandbox.wait_for("ops", "/giphy", "chen")["only_for"] == "chen");
}

TEST_CASE("/microalign digest now posts the channel's digest in its stream", "[sandbox][digest]") {
  SandboxHarness sandbox;
  REQUIRE(sandbox.say("ana", "web", "/status ENG-42 blocked on the API review").status == 200);
  REQUIRE(sandbox.say("bo", "web", "/microalign digest now").status == 200);
  CHECK(sandbox.wait_for("web", "Posting the digest now", "bo").is_object());
  const auto digest = sandbox.wait_for("web", "Digest");
  REQUIRE(digest.is_object());
  CHECK(text_of(digest).find("ENG-42") != std::string::npos);
  CHECK(digest["only_for"] == "");
}

TEST_CASE("an @mention is shown as written and echoed in its thread", "[sandbox]") {
  SandboxHarness sandbox;
  REQUIRE(sandbox.say("chen", "payments", "@microalign PAY-3 blocked on the provider").status == 200);
  const auto line = sandbox.wait_for("payments", "@microalign PAY-3 blocked on the provider");
  REQUIRE(line.is_object());
  CHECK(line["kind"] == "person");
  CHECK(line["author"] == "chen");
  const auto echo = sandbox.wait_for("payments", "from @Chen");
  REQUIRE(echo.is_object());
  CHECK(echo["thread"] == line["id"]);
  const auto updates = sandbox.updates();
  REQUIRE(updates.size() == 1);
  CHECK(updates[0].source == UpdateSource::mention);
  CHECK(updates[0].parsed.state == TicketState::blocked);
}

TEST_CASE("a reply in an assumption's thread and a check mark answer it", "[sandbox][digest]") {
  SandboxHarness sandbox;
  REQUIRE(sandbox.say("bo", "web", "/heads-up assuming ENG-7 data refreshes hourly").status == 200);
  const auto echo = sandbox.wait_for("web", "assuming ENG-7");
  REQUIRE(echo.is_object());
  REQUIRE(sandbox.say("ana", "web", "yes, hourly since May", echo["id"]).status == 200);
  const auto reply = sandbox.wait_for("web", "yes, hourly since May");
  CHECK(reply["thread"] == echo["id"]);
  CHECK(eventually([&] { return sandbox.reader()->ticket_answers("sandbox", "ENG-7").size() == 1; }));

  Json react;
  react["person"] = "chen";
  react["message"] = echo["id"];
  CHECK(sandbox.post("/sandbox/react", react).status == 200);
  CHECK(eventually([&] { return sandbox.entries()[echo["id"].get<std::string>()]["checked_by"] == Json{"chen"}; }));
}

TEST_CASE("a week on, owners are nudged in their own working hours, and a click answers the nudge",
          "[sandbox][nudge]") {
  SandboxHarness sandbox;
  REQUIRE(sandbox.say("ana", "web", "/status ENG-42 on track").status == 200);     // Lisbon, 10:00
  REQUIRE(sandbox.say("bo", "payments", "/status PAY-9 on track").status == 200);  // New York, 05:00
  REQUIRE(sandbox.wait_for("payments", "PAY-9").is_object());

  const auto moved = sandbox.advance("1w");
  REQUIRE(moved.status == 200);
  CHECK(moved.json()["now"]["iso"] == "2026-06-17T09:00:00Z");  // (the clock ran for a moment)
  const auto nudge = sandbox.wait_for("D-ana", "ENG-42 has gone quiet", "ana");
  REQUIRE(nudge.is_object());
  CHECK(nudge["only_for"] == "");  // a direct message: only its person's conversation
  REQUIRE(button_of(nudge, "nudge.on_track").is_object());
  // Bo's morning has not come yet in New York: no nudge for him.
  CHECK(sandbox.seen("D-bo").empty());

  REQUIRE(sandbox.advance("5h").status == 200);  // 10:00 in New York
  CHECK(sandbox.wait_for("D-bo", "PAY-9 has gone quiet", "bo").is_object());

  REQUIRE(sandbox.click("ana", nudge, "nudge.on_track").status == 200);
  const auto id = nudge["id"].get<std::string>();
  REQUIRE(eventually([&] { return sandbox.entries()[id]["edited"] == true; }));
  const auto rewritten = sandbox.entries()[id];
  CHECK(button_of(rewritten, "nudge.on_track").is_null());
  CHECK(text_of(rewritten).find("still on track") != std::string::npos);
  CHECK(sandbox.wait_for("web", "ENG-42 still on track").is_object());
  CHECK(sandbox.updates().size() == 3);

  // Answered already: the buttons are gone, so the same click is refused.
  CHECK(sandbox.click("ana", nudge, "nudge.on_track").status == 400);
}

TEST_CASE("a nudge's form opens for its owner, says what is missing, and posts the update", "[sandbox][nudge]") {
  SandboxHarness sandbox;
  REQUIRE(sandbox.say("ana", "web", "/status ENG-42 on track").status == 200);
  REQUIRE(sandbox.wait_for("web", "ENG-42 on track").is_object());
  REQUIRE(sandbox.advance("1w").status == 200);
  const auto nudge = sandbox.wait_for("D-ana", "ENG-42 has gone quiet", "ana");
  REQUIRE(nudge.is_object());

  REQUIRE(sandbox.click("ana", nudge, "nudge.post_update").status == 200);
  Json form;
  REQUIRE(eventually([&] {
    for (const auto& e : sandbox.seen("D-ana", "ana")) {
      if (e["kind"] == "form") form = e;
    }
    return form.is_object();
  }));
  CHECK(form["only_for"] == "ana");
  CHECK(form["form"]["ticket"] == "ENG-42");
  CHECK(form["form"]["states"].size() == 5);
  CHECK(sandbox.seen("D-ana", "bo").size() == 1);  // the form is Ana's alone (only the DM shows)

  Json empty;
  empty["person"] = "ana";
  empty["form"] = form["id"];
  empty["state"] = "";
  empty["note"] = "";
  REQUIRE(sandbox.post("/sandbox/form", empty).status == 200);
  const auto kept = sandbox.entries()[form["id"].get<std::string>()];
  CHECK(kept["form"]["open"] == true);
  CHECK_FALSE(kept["form"]["problems"].empty());

  Json other = empty;
  other["person"] = "bo";
  CHECK(sandbox.post("/sandbox/form", other).status == 400);

  Json filled = empty;
  filled["state"] = "at_risk";
  filled["note"] = "waiting on the security review";
  REQUIRE(sandbox.post("/sandbox/form", filled).status == 200);
  CHECK(sandbox.entries()[form["id"].get<std::string>()]["form"]["open"] == false);
  CHECK(sandbox.wait_for("web", "waiting on the security review").is_object());
  const auto id = nudge["id"].get<std::string>();
  CHECK(eventually([&] { return sandbox.entries()[id]["edited"] == true; }));
  CHECK(sandbox.post("/sandbox/form", filled).status == 400);  // closed
}

TEST_CASE("the page, its script and its state are served, and the page runs only its own script", "[sandbox][security]") {
  SandboxHarness sandbox;
  const auto page = sandbox.get("/");
  CHECK(page.status == 200);
  CHECK(page.content_type.starts_with("text/html"));
  CHECK(page.body.find("/sandbox/app.js") != std::string::npos);
  CHECK(page.csp.find("script-src 'self'") != std::string::npos);
  CHECK(sandbox.get("/sandbox/app.js").content_type.starts_with("text/javascript"));
  CHECK(sandbox.get("/sandbox/app.css").content_type.starts_with("text/css"));

  REQUIRE(sandbox.say("ana", "web", "/status ENG-1 done").status == 200);
  REQUIRE(sandbox.wait_for("web", "ENG-1").is_object());
  const auto all = sandbox.get("/sandbox/state?since=0").json();
  CHECK(all["now"]["iso"].get<std::string>().starts_with("2026-06-10T09:0"));
  CHECK(all["people"].size() == 3);
  CHECK(all["channels"].size() == 3);
  const auto cursor = all["cursor"].get<std::int64_t>();
  CHECK(cursor >= 2);
  CHECK(sandbox.get("/sandbox/state?since=" + std::to_string(cursor)).json()["messages"].empty());
}

TEST_CASE("bad inputs are answered 400 with a reason, and nothing happens", "[sandbox][security]") {
  SandboxHarness sandbox;
  CHECK(sandbox.say("zed", "web", "/status ENG-1 done").error() == "unknown person 'zed'");
  CHECK(sandbox.say("ana", "random", "/status ENG-1 done").error() == "unknown conversation");
  CHECK(sandbox.say("ana", "D-bo", "/status ENG-1 done").status == 400);
  CHECK(sandbox.say("ana", "web", "   ").error() == "text is required");
  CHECK(sandbox.say("ana", "web", "hello", "no-such-message").status == 400);
  CHECK(sandbox.post("/sandbox/post", std::string("not json")).status == 400);
  CHECK(sandbox.post("/sandbox/post", std::string("[1, 2]")).status == 400);
  CHECK(sandbox.post("/sandbox/post", std::string(1000, '[') + std::string(1000, ']')).status == 400);
  Json wrong_type;
  wrong_type["person"] = "ana";
  wrong_type["conversation"] = "web";
  wrong_type["text"] = 42;
  CHECK(sandbox.post("/sandbox/post", wrong_type).status == 400);

  CHECK(request(sandbox.port(), "POST", "/sandbox/post", R"({"person":"ana"})", "text/plain").status == 415);
  Json line;
  line["person"] = "ana";
  line["conversation"] = "web";
  line["text"] = "/status ENG-1 done";
  CHECK(
      request(sandbox.port(), "POST", "/sandbox/post", line.dump(), "application/json", "http://evil.example").status ==
      403);
  CHECK(request(sandbox.port(), "POST", "/sandbox/post", line.dump(), "application/json",
                "http://127.0.0.1:" + std::to_string(sandbox.port()))
            .status == 200);
  // A page whose own name was made to resolve here (DNS rebinding) names itself as the Host, and
  // its origin then matches: refused by name, for reading as for posting.
  const std::string rebound = "evil.example:" + std::to_string(sandbox.port());
  const auto read_rebound = request(sandbox.port(), "GET", "/sandbox/state?since=0", {}, {}, {}, rebound);
  CHECK(read_rebound.status == 403);
  CHECK(read_rebound.error().find("open the sandbox at localhost or an IP address") != std::string::npos);
  CHECK(request(sandbox.port(), "GET", "/", {}, {}, {}, rebound).status == 403);
  CHECK(request(sandbox.port(), "POST", "/sandbox/post", line.dump(), "application/json", "http://" + rebound, rebound)
            .status == 403);
  CHECK(request(sandbox.port(), "GET", "/sandbox/state?since=0", {}, {}, {},
                "localhost:" + std::to_string(sandbox.port()))
            .status == 200);

  Json click;
  click["person"] = "ana";
  click["message"] = "nope";
  click["action_id"] = "nudge.on_track";
  click["value"] = "web ENG-1 1";
  CHECK(sandbox.post("/sandbox/click", click).error() == "no such message");
  const auto echo = sandbox.wait_for("web", "ENG-1");
  REQUIRE(echo.is_object());
  click["message"] = echo["id"];  // a message without that button: a forged click
  CHECK(sandbox.post("/sandbox/click", click).error() == "no such button on that message");

  Json form;
  form["person"] = "ana";
  form["form"] = echo["id"];
  CHECK(sandbox.post("/sandbox/form", form).error() == "no such form");

  for (const auto* step : {"-1d", "0h", "5y", "1x", "99w", ""}) {
    INFO(step);
    CHECK(sandbox.advance(step).status == 400);
  }
  CHECK(sandbox.get("/sandbox/state?since=abc").status == 400);
  CHECK(sandbox.get("/sandbox/nothing").status == 404);
  CHECK(sandbox.post("/sandbox/nothing", std::string("{}")).status == 404);
  CHECK(sandbox.updates().size() == 1);  // only the one from the page itself
}
