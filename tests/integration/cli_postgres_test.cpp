// The operator's verbs with MICROALIGN_DB naming a PostgreSQL database: export, digest and nudges
// read (and --send writes) it as they do a SQLite file, and a server that cannot be reached or
// refuses the login is one line on stderr, exit status 1, without the password. `run` likewise.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <tuple>

#include "bot_harness.hpp"
#include "microalign/core/export.hpp"
#include "microalign/storage/postgres_store.hpp"
#include "postgres_schema.hpp"
#include "process.hpp"

using namespace microalign;
using namespace microalign::test;

namespace {

// What `run` needs to get as far as opening the database (which comes before the network).
Process::Environment run_environment(const std::string& db) {
  return {{"SLACK_APP_TOKEN", FakeSlack::Options{}.app_token},
          {"SLACK_BOT_TOKEN", FakeSlack::Options{}.bot_token},
          {"MICROALIGN_DB", db},
          {"MICROALIGN_HTTP_ADDR", "127.0.0.1:0"}};
}

Update status(const std::string& key, const std::string& user, SysTime at, TicketState state, std::string text) {
  Update u;
  u.created_at = at;
  u.where = {"T111", "C111", {}};
  u.user = user;
  u.parsed.kind = UpdateKind::status;
  u.parsed.state = state;
  u.parsed.tickets = {key};
  u.parsed.text = std::move(text);
  return u;
}

// Exit status 1, one line on stderr that says `why`, nothing on stdout, and no password anywhere.
void check_refused(const Finished& r, const std::string& why, const std::string& password) {
  INFO(r.err);
  CHECK(r.status == 1);
  CHECK_THAT(r.err, Catch::Contains(why));
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find(password) == std::string::npos);
}

}  // namespace

TEST_CASE("the database verbs' --help say MICROALIGN_DB may be a PostgreSQL URI", "[cli][postgres]") {
  TempDir dir;
  for (const char* verb : {"run", "export", "digest", "nudges", "doctor"}) {
    INFO(verb);
    const auto r = run_to_end({verb, "--help"}, {}, dir.path());
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Catch::Contains("PostgreSQL") || Catch::Contains("postgresql://"));
  }
  const auto run = run_to_end({"run", "--help"}, {}, dir.path()).out;
  for (const char* variable : {"postgresql://", "MICROALIGN_DB_FILE", "MICROALIGN_DB_POOL", "PGPASSFILE"})
    CHECK(run.find(variable) != std::string::npos);
}

TEST_CASE("export and digest read a PostgreSQL database as they read a SQLite file", "[cli][postgres]") {
  PostgresSchema db;
  if (!db.available()) return;
  TempDir dir;
  const auto monday = *parse_rfc3339("2026-06-08T09:00:00Z");
  {
    auto store = storage::PostgresStore::open(db.uri());
    store->begin();
    store->insert_update(status("ENG-42", "U111", monday, TicketState::delayed, "ENG-42 a day late, the CI is flaky"));
    auto assumption = status("ENG-7", "U222", monday + std::chrono::hours(1), TicketState::on_track,
                             "heads up: assuming ENG-7 data refreshes hourly");
    assumption.source = UpdateSource::mention;
    assumption.parsed.kind = UpdateKind::assumption;
    assumption.parsed.state.reset();
    store->insert_update(assumption);
    store->remember_name("T111", "U111", "Alice", monday);
    store->commit();
  }
  const auto env = db.env();

  auto jsonl = run_to_end({"export"}, env, dir.path());
  INFO(jsonl.err);
  REQUIRE(jsonl.status == 0);
  std::istringstream lines(jsonl.out);
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  const auto a = nlohmann::json::parse(first), b = nlohmann::json::parse(second);
  CHECK(a["source"] == "slash");
  CHECK(a["kind"] == "status");
  CHECK(a["state"] == "delayed");
  CHECK(a["tickets"] == nlohmann::json{"ENG-42"});
  CHECK(a["created_at"] == "2026-06-08T09:00:00Z");
  CHECK(b["source"] == "mention");
  CHECK(b["kind"] == "assumption");

  auto csv = run_to_end({"export", "--format", "csv", "--channel", "C111", "--since", "2026-06-08T09:30:00Z"}, env,
                        dir.path());
  CHECK(csv.status == 0);
  CHECK(csv.out.starts_with(
      "id,created_at,team,channel,user,source,kind,state,tickets,links,delay_days,text,platform\n"));
  CHECK(std::count(csv.out.begin(), csv.out.end(), '\n') == 2);  // the header and the assumption
  auto none = run_to_end({"export", "--channel", "C999"}, env, dir.path());
  CHECK(none.status == 0);
  CHECK(none.out.empty());

  const std::vector<std::string> digest{"digest", "--channel", "C111", "--as-of", "2026-06-08T17:00:00Z"};
  auto text = run_to_end(digest, env, dir.path());
  INFO(text.err);
  CHECK(text.status == 0);
  CHECK(text.out.find("Digest") != std::string::npos);
  CHECK(text.out.find("ENG-42") != std::string::npos);
  CHECK(text.out.find("Alice") != std::string::npos);
  auto blocks_args = digest;
  blocks_args.insert(blocks_args.end(), {"--format", "blocks"});
  auto blocks = run_to_end(blocks_args, env, dir.path());
  CHECK(blocks.status == 0);
  CHECK(nlohmann::json::parse(blocks.out).at(0).contains("blocks"));
  CHECK(run_to_end({"digest", "--channel", "C404"}, env, dir.path()).status == 1);
}

TEST_CASE("nudges plans and --send queues the DMs on a PostgreSQL database", "[cli][nudge][postgres]") {
  PostgresSchema db;
  if (!db.available()) return;
  TempDir dir;
  const auto friday = *parse_rfc3339("2026-06-05T09:00:00Z");
  const auto tuesday = *parse_rfc3339("2026-06-09T09:00:00Z");
  {
    auto store = storage::PostgresStore::open(db.uri());
    store->begin();
    store->insert_update(status("ENG-42", "U111", friday, TicketState::on_track, "ENG-42 on track"));
    store->insert_update(status("ENG-7", "U222", tuesday, TicketState::on_track, "ENG-7 on track"));
    store->remember_name("T111", "U111", "Alice", friday);
    store->commit();
  }
  const auto env = db.env();
  const std::vector<std::string> wednesday{"nudges", "--as-of", "2026-06-10T10:00:00Z"};

  auto listed = run_to_end(wednesday, env, dir.path());
  INFO(listed.err);
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
  auto store = storage::PostgresStore::open(db.uri());
  const auto queued = store->due_messages("slack", *parse_rfc3339("2026-06-10T10:00:00Z"), 10);
  REQUIRE(queued.size() == 1);
  CHECK(queued[0].destination == "U111");
  CHECK(queued[0].delivery == storage::Delivery::direct);

  // Recorded in the database, not in the process: a second run queues nothing more.
  auto again = run_to_end(send, env, dir.path());
  CHECK(again.out.find("owner Alice (U111): already nudged") != std::string::npos);
  CHECK(again.out.find("Queued 0 DMs.") != std::string::npos);
}

TEST_CASE("the verbs and run on a PostgreSQL server that cannot be reached: one line, no password",
          "[cli][postgres][security]") {
  TempDir dir;
  // Port 1 on the loopback: nothing listens, so the connection is refused at once.
  const std::string password = "unreachable~pw~7Qx";
  const std::string uri = "postgresql://microalign:" + password + "@127.0.0.1:1/microalign";
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"export"}, {"digest", "--channel", "C111"}, {"nudges"}, {"run"}}) {
    INFO("microalign " << args.front());
    const auto r = run_to_end(args, run_environment(uri), dir.path());
    if (args.front() == "run") {
      // The log line says it (as every fatal error of `run`), and the process exits.
      INFO(r.err);
      CHECK(r.status == 1);
      CHECK_THAT(r.err, Catch::Contains("127.0.0.1") && Catch::Contains("port 1 failed"));
      CHECK(r.err.find(password) == std::string::npos);
      CHECK(r.out.find(password) == std::string::npos);
      continue;
    }
    check_refused(r, "microalign: PostgreSQL: connect: connection to server at \"127.0.0.1\", port 1 failed", password);
  }
}

TEST_CASE("the verbs and run with a password the PostgreSQL server refuses: one line, no password",
          "[cli][postgres][security]") {
  PostgresSchema db;
  if (!db.available()) return;
  TempDir dir;
  const std::string wrong = "not~the~password~3Zk";
  std::string uri = db.uri();
  uri.insert(uri.find('@'), ":" + wrong);
  for (const auto& args :
       std::vector<std::vector<std::string>>{{"export"}, {"digest", "--channel", "C111"}, {"nudges"}, {"run"}}) {
    INFO("microalign " << args.front());
    const auto r = run_to_end(args, run_environment(uri), dir.path());
    if (args.front() == "run") {
      INFO(r.err);
      CHECK(r.status == 1);
      CHECK_THAT(r.err, Catch::Contains("password authentication failed"));
      CHECK(r.err.find(wrong) == std::string::npos);
      continue;
    }
    check_refused(r, "password authentication failed for user \"microalign\"", wrong);
  }
}
