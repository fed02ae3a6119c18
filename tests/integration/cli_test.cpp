// The `microalign` binary as an operator uses it: exit statuses, --help, parse, export, and a
// full `run` against the fake Slack in which no token ever shows up in output or on disk.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <tuple>

#include "bot_harness.hpp"
#include "bot_process.hpp"
#include "microalign/core/export.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/storage/outbox.hpp"
#include "microalign/storage/people.hpp"
#include "process.hpp"

using namespace microalign;
using namespace microalign::test;

namespace {

nlohmann::json parse_json(const std::vector<std::string>& args, const TempDir& dir) {
  auto r = run_to_end(args, {}, dir.path());
  REQUIRE(r.status == 0);
  return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("every verb has --help", "[cli]") {
  TempDir dir;
  for (const char* verb : {"run", "parse", "export", "digest", "nudges", "sandbox"}) {
    INFO(verb);
    auto r = run_to_end({verb, "--help"}, {}, dir.path());
    CHECK(r.status == 0);
    CHECK(r.out.starts_with(std::string("Usage: microalign ") + verb));
  }
  auto overview = run_to_end({"--help"}, {}, dir.path());
  CHECK(overview.status == 0);
  CHECK(overview.out.find("Commands:") != std::string::npos);
  CHECK(run_to_end({"frobnicate"}, {}, dir.path()).status == 2);
}

TEST_CASE("run without tokens: one line naming the variable, exit status 2", "[cli]") {
  TempDir dir;
  auto missing = run_to_end({"run"}, {{"SLACK_BOT_TOKEN", "xoxb-111-222-abcdefgh"}}, dir.path());
  CHECK(missing.status == 2);
  CHECK(missing.err.starts_with("microalign: SLACK_APP_TOKEN is not set"));
  CHECK(std::count(missing.err.begin(), missing.err.end(), '\n') == 1);

  auto malformed = run_to_end({"run"}, {{"SLACK_APP_TOKEN", "xapp-1-A111-222-abcdef"}, {"SLACK_BOT_TOKEN", "xoxp-user-token-123"}},
                              dir.path());
  CHECK(malformed.status == 2);
  CHECK(malformed.err.starts_with("microalign: SLACK_BOT_TOKEN is malformed"));
  CHECK(malformed.err.find("xoxp-user-token-123") == std::string::npos);
}

TEST_CASE("parse prints one JSON object per the documented fields", "[cli]") {
  TempDir dir;
  auto out = parse_json({"parse", "--command", "/status", "Re: ticket JIRA-123, just wanted to let you know we're on track "
                                                          "and a draft PR is up"},
                        dir);
  CHECK(out == nlohmann::json{{"kind", "status"},
                              {"state", "on_track"},
                              {"tickets", {"JIRA-123"}},
                              {"links", nlohmann::json::array()},
                              {"delay_days", nullptr},
                              {"text", "Re: ticket JIRA-123, just wanted to let you know we're on track and a draft PR is up"}});
  auto delayed = parse_json({"parse", "Had some trouble testing, so it'll be a day delayed"}, dir);
  CHECK(delayed["state"] == "delayed");
  CHECK(delayed["delay_days"] == 1);
  CHECK(run_to_end({"parse"}, {}, dir.path()).status == 2);
  CHECK(run_to_end({"parse", "--command", "/nope", "x"}, {}, dir.path()).status == 2);
}

TEST_CASE("microalign run serves the full loop and never shows a token", "[cli][security]") {
  TestPki pki;
  FakeSlack slack(pki);
  TempDir dir;
  const auto db = dir.path() / "microalign.db";
  Process bot({"run"}, bot_environment(slack, pki, db), dir.path());

  REQUIRE(slack.wait_for_connections(2, 10s));
  slack.send_envelope(slash_command("env-1", "/status", "ENG-42 a day late, the CI is flaky", "U111", "C111",
                                    slack.response_url("r1")));
  REQUIRE(slack.wait_for_ack("env-1", 3s));
  slack.send_envelope(app_mention("env-2", "Ev2", "<@UBOT> heads up: assuming ENG-7 data refreshes hourly", "U222", "C111"));
  REQUIRE(slack.wait_for_ack("env-2", 3s));
  REQUIRE(eventually([&] { return slack.posted_messages().size() == 2; }));

  bot.signal(SIGTERM);
  CHECK(bot.wait() == 0);
  CHECK(bot.err().find("stopped cleanly") != std::string::npos);

  // The database is private to its owner and holds no token.
  CHECK((std::filesystem::status(db).permissions() & std::filesystem::perms::all) ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  std::string everything = bot.out() + bot.err();
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    if (entry.path().filename().string().starts_with("microalign.db")) everything += Process::read(entry.path());
  }
  for (const auto& token : {FakeSlack::Options{}.app_token, FakeSlack::Options{}.bot_token}) {
    CHECK(everything.find(token) == std::string::npos);
    CHECK(everything.find(token.substr(5)) == std::string::npos);  // not even without its prefix
  }

  // What was stored comes back out through export.
  auto jsonl = run_to_end({"export"}, {{"MICROALIGN_DB", db.string()}}, dir.path());
  REQUIRE(jsonl.status == 0);
  std::istringstream lines(jsonl.out);
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  const auto a = nlohmann::json::parse(first), b = nlohmann::json::parse(second);
  CHECK(a["source"] == "slash");
  CHECK(a["platform"] == "slack");
  CHECK(a["kind"] == "status");
  CHECK(a["state"] == "delayed");
  CHECK(a["delay_days"] == 1);
  CHECK(a["tickets"] == nlohmann::json{"ENG-42"});
  CHECK(b["source"] == "mention");
  CHECK(b["kind"] == "assumption");

  auto csv = run_to_end({"export", "--format", "csv", "--channel", "C111", "--since", "2000-01-01T00:00:00Z"},
                        {{"MICROALIGN_DB", db.string()}}, dir.path());
  CHECK(csv.status == 0);
  CHECK(csv.out.starts_with(
      "id,created_at,team,channel,user,source,kind,state,tickets,links,delay_days,text,platform\n"));
  CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') == 3);
  // The channel's digest, shown without posting it.
  auto text = run_to_end({"digest", "--channel", "C111"}, {{"MICROALIGN_DB", db.string()}}, dir.path());
  CHECK(text.status == 0);
  CHECK(text.out.find("Digest") != std::string::npos);
  CHECK(text.out.find("ENG-42") != std::string::npos);
  CHECK(text.out.find("@user-U111") != std::string::npos);  // named from what they posted under
  auto blocks = run_to_end({"digest", "--channel", "C111", "--format", "blocks"}, {{"MICROALIGN_DB", db.string()}},
                           dir.path());
  CHECK(blocks.status == 0);
  CHECK(nlohmann::json::parse(blocks.out).at(0).contains("blocks"));
  CHECK(run_to_end({"digest"}, {{"MICROALIGN_DB", db.string()}}, dir.path()).status == 2);
  CHECK(run_to_end({"digest", "--channel", "C404"}, {{"MICROALIGN_DB", db.string()}}, dir.path()).status == 1);

  auto none = run_to_end({"export", "--channel", "C999"}, {{"MICROALIGN_DB", db.string()}}, dir.path());
  CHECK(none.out.empty());
  CHECK(run_to_end({"export", "--since", "last tuesday"}, {{"MICROALIGN_DB", db.string()}}, dir.path()).status == 2);
}

TEST_CASE("nudges lists who would be nudged about what, and why not, and --send queues the DMs", "[cli][nudge]") {
  TempDir dir;
  const auto db = dir.path() / "microalign.db";
  const auto friday = *parse_rfc3339("2026-06-05T09:00:00Z");
  const auto tuesday = *parse_rfc3339("2026-06-09T09:00:00Z");
  {
    auto store = storage::SqliteStore::open(db.string());
    store->begin();
    for (const auto& [key, user, at] : {std::tuple{"ENG-42", "U111", friday}, std::tuple{"ENG-7", "U222", tuesday}}) {
      Update u;
      u.created_at = at;
      u.where = {"T111", "C111", {}};
      u.user = user;
      u.parsed.kind = UpdateKind::status;
      u.parsed.state = TicketState::on_track;
      u.parsed.tickets = {key};
      u.parsed.text = std::string(key) + " on track";
      store->insert_update(u);
    }
    store->remember_name("T111", "U111", "Alice", friday);
    store->commit();
  }
  const Process::Environment env{{"MICROALIGN_DB", db.string()}};
  const std::vector<std::string> wednesday{"nudges", "--as-of", "2026-06-10T10:00:00Z"};

  auto listed = run_to_end(wednesday, env, dir.path());
  CHECK(listed.status == 0);
  CHECK(listed.out ==
        "Nudge Alice (U111) about 1 ticket in one DM [UTC: time zone not known yet]:\n"
        "  ENG-42 in C111, quiet for 3 working days (threshold 3)\n"
        "No nudge:\n"
        "  ENG-7 in C111, quiet for 1 working day (threshold 3), owner U222: not quiet yet\n"
        "1 DM would be sent.\n");

  auto send = wednesday;
  send.push_back("--send");
  auto sent = run_to_end(send, env, dir.path());
  CHECK(sent.status == 0);
  CHECK(sent.out.find("Queued 1 DM: the running bot sends them") != std::string::npos);
  auto store = storage::SqliteStore::open(db.string());
  const auto queued = store->due_messages("slack", *parse_rfc3339("2026-06-10T10:00:00Z"), 10);
  REQUIRE(queued.size() == 1);
  CHECK(queued[0].destination == "U111");
  CHECK(queued[0].delivery == storage::Delivery::direct);
  CHECK(queued[0].interactive);

  // Recorded: listed again, it says why not, and nothing more is queued.
  auto again = run_to_end(send, env, dir.path());
  CHECK(again.out.find("ENG-42 in C111, quiet for 3 working days (threshold 3), owner Alice (U111): already nudged") !=
        std::string::npos);
  CHECK(again.out.find("Queued 0 DMs.") != std::string::npos);

  CHECK(run_to_end({"nudges", "--as-of", "yesterday"}, env, dir.path()).status == 2);
  CHECK(run_to_end({"nudges", "--frobnicate"}, env, dir.path()).status == 2);
}

// Regression (issue 9): `nudges --as-of T --send` queued the DMs to go at T while it said "the
// running bot sends them within 30 seconds"; `digest --post` did the same. Sending is now, so a
// future --as-of is refused, and a past one is sent within 30 seconds, as said.
TEST_CASE("send and post with a future --as-of are refused: what they queue goes now", "[cli][nudge][digest]") {
  TempDir dir;
  const auto db = dir.path() / "microalign.db";
  storage::SqliteStore::open(db.string());
  const Process::Environment env{{"MICROALIGN_DB", db.string()}};

  auto nudges = run_to_end({"nudges", "--as-of", "2030-06-10T10:00:00Z", "--send"}, env, dir.path());
  CHECK(nudges.status == 2);
  CHECK(nudges.err.find("--send sends now: --as-of must not be in the future") != std::string::npos);
  CHECK(run_to_end({"nudges", "--as-of", "2030-06-10T10:00:00Z"}, env, dir.path()).status == 0);  // a plan may look ahead

  auto digest = run_to_end({"digest", "--channel", "C111", "--team", "T111", "--as-of", "2030-06-10T10:00:00Z", "--post"},
                           env, dir.path());
  CHECK(digest.status == 2);
  CHECK(digest.err.find("--post posts now: --as-of must not be in the future") != std::string::npos);
}
