// `microalign export --decisions --format markdown`: the decision log in the playbooks' template,
// from a SQLite file and from a PostgreSQL database alike, and its options refused when mixed up.
#include <catch2/catch.hpp>

#include "bot_harness.hpp"
#include "microalign/core/export.hpp"
#include "microalign/storage/postgres_store.hpp"
#include "microalign/storage/sqlite_store.hpp"
#include "postgres_schema.hpp"
#include "process.hpp"

using namespace microalign;
using namespace microalign::test;

namespace {

Decision decision(std::string title, std::string text, SysTime at) {
  Decision d;
  d.created_at = at;
  d.where = {"T111", "C111", {}};
  d.owner = "U111";
  d.parsed = std::get<ParsedDecision>(parse_decision(RichText{plain(std::move(text))}, {}, slash_commands()));
  d.parsed.title = std::move(title);
  return d;
}

// Two decisions, the second superseding the first, and the owner's name.
void record_decisions(storage::Store& store) {
  const auto monday = *parse_rfc3339("2026-11-02T09:00:00Z");
  const auto first = store.insert_decision(decision("Storage", "Storage: SQLite because one process", monday));
  auto second = decision("Storage", "Storage: PostgreSQL for ENG-42 because replicas impact: ops runs it",
                         monday + std::chrono::days{1});
  second.parsed.supersedes = first.decision_id;
  store.insert_decision(second);
  store.remember_name("T111", "U111", "Alice", monday);
}

void check_markdown(const Finished& r) {
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(
      r.out.starts_with("# Decision log\n\n## 2026-11-02 — Storage\n\n- **ID:** D1\n- **Owner:** Alice\n"
                        "- **Decision:** SQLite\n- **Rationale:** one process\n- **Impact:** —\n- **Tickets:** —\n"
                        "- **Superseded by:** D2\n"));
  CHECK_THAT(r.out, Catch::Contains("## 2026-11-03 — Storage\n\n- **ID:** D2\n- **Owner:** Alice\n"
                                    "- **Decision:** PostgreSQL for ENG-42\n- **Rationale:** replicas\n"
                                    "- **Impact:** ops runs it\n- **Tickets:** ENG-42\n- **Supersedes:** D1\n"));
}

}  // namespace

TEST_CASE("export --decisions prints the decision log as markdown", "[cli][decisions]") {
  TempDir dir;
  const auto db = dir.path() / "microalign.db";
  {
    auto store = storage::SqliteStore::open(db.string());
    store->begin();
    record_decisions(*store);
    store->commit();
  }
  const Process::Environment env{{"MICROALIGN_DB", db.string()}};
  check_markdown(run_to_end({"export", "--decisions", "--format", "markdown"}, env, dir.path()));
  check_markdown(run_to_end({"export", "--decisions"}, env, dir.path()));  // markdown is its format

  const auto later = run_to_end({"export", "--decisions", "--since", "2026-11-03T00:00:00Z"}, env, dir.path());
  CHECK(later.out.find("**ID:** D1\n") == std::string::npos);
  CHECK_THAT(later.out, Catch::Contains("**ID:** D2"));
  CHECK(run_to_end({"export", "--decisions", "--channel", "C999"}, env, dir.path()).out == "# Decision log\n");

  const auto csv = run_to_end({"export", "--decisions", "--format", "csv"}, env, dir.path());
  CHECK(csv.status == 2);
  CHECK_THAT(csv.err, Catch::Contains("--format must be markdown"));
  const auto markdown = run_to_end({"export", "--format", "markdown"}, env, dir.path());
  CHECK(markdown.status == 2);
  CHECK_THAT(markdown.err, Catch::Contains("add --decisions"));
  CHECK_THAT(run_to_end({"export", "--help"}, {}, dir.path()).out, Catch::Contains("--decisions"));
}

TEST_CASE("export --decisions reads a PostgreSQL database as it reads a SQLite file", "[cli][decisions][postgres]") {
  PostgresSchema db;
  if (!db.available()) return;
  TempDir dir;
  {
    auto store = storage::PostgresStore::open(db.uri());
    store->begin();
    record_decisions(*store);
    store->commit();
  }
  check_markdown(run_to_end({"export", "--decisions", "--format", "markdown"}, db.env(), dir.path()));
}
