// How SQLite runs the statements a storage function issues: the statements are recorded as they
// run (sqlite3_trace_v2), then each is given to EXPLAIN QUERY PLAN. Tests check that the
// time-sensitive queries use their indexes rather than reading whole tables.
#pragma once

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace microalign::storage::test {

struct QueryPlan {
  std::string sql;
  std::vector<std::string> steps;  // e.g. "SEARCH o USING INDEX outbox_due (platform=? AND not_before<?)"

  bool uses(const std::string& index) const {
    return std::any_of(steps.begin(), steps.end(), [&](const std::string& step) {
      return step.find(" INDEX " + index + " ") != std::string::npos ||
             step.ends_with(" INDEX " + index);
    });
  }
};

// The plans of the distinct queries (not BEGIN, COMMIT and the like) that `run` issued on `db`,
// in the order they first ran. Parameters are left unbound: the plan does not depend on them.
inline std::vector<QueryPlan> plans_of(SQLite::Database& db, const std::function<void()>& run) {
  std::vector<std::string> statements;
  auto record = [](unsigned, void* context, void* statement, void*) -> int {
    auto& seen = *static_cast<std::vector<std::string>*>(context);
    const std::string sql = sqlite3_sql(static_cast<sqlite3_stmt*>(statement));
    const bool query = sql.starts_with("SELECT") || sql.starts_with("INSERT") ||
                       sql.starts_with("UPDATE") || sql.starts_with("WITH");
    if (query && std::find(seen.begin(), seen.end(), sql) == seen.end()) seen.push_back(sql);
    return 0;
  };
  sqlite3_trace_v2(db.getHandle(), SQLITE_TRACE_STMT, record, &statements);
  try {
    run();
  } catch (...) {
    sqlite3_trace_v2(db.getHandle(), 0, nullptr, nullptr);
    throw;
  }
  sqlite3_trace_v2(db.getHandle(), 0, nullptr, nullptr);

  std::vector<QueryPlan> plans;
  for (const auto& sql : statements) {
    QueryPlan plan{sql, {}};
    SQLite::Statement explain(db, "EXPLAIN QUERY PLAN " + sql);
    while (explain.executeStep()) plan.steps.push_back(explain.getColumn(3).getString());
    plans.push_back(std::move(plan));
  }
  return plans;
}

// A step that reads a whole table or index, rather than searching it. (A virtual table such as
// json_each reads a list passed in as a parameter, not stored data.)
inline bool is_scan(const std::string& step) {
  return step.starts_with("SCAN ") && step.find(" VIRTUAL TABLE ") == std::string::npos;
}

}  // namespace microalign::storage::test
