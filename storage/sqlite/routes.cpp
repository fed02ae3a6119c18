// Where each platform's conversations are reached (migrations/008_routes.sql).
#include <SQLiteCpp/Statement.h>

#include "microalign/storage/sqlite_store.hpp"
#include "sql_time.hpp"
#include "statements.hpp"
#include "store_ops.hpp"

namespace microalign::storage {

void SqliteStore::remember_route(const std::string& platform, const std::string& team, const std::string& conversation,
                                 const std::string& address, SysTime at) {
  require_transaction(*this, "storage::remember_route");
  guarded(*this, "remember a route", [&] {
    // Heard from on every activity: writes only when something changed, or a day went by (the
    // team's latest address is found by updated_at).
    SQLite::Statement q(sql(),
                        "INSERT INTO routes (platform, conversation, team, address, updated_at)"
                        " VALUES (:platform, :conversation, :team, :address, :at)"
                        " ON CONFLICT (platform, conversation) DO UPDATE SET team = excluded.team,"
                        " address = excluded.address, updated_at = excluded.updated_at"
                        " WHERE routes.address <> excluded.address OR routes.team <> excluded.team"
                        " OR excluded.updated_at - routes.updated_at > 86400000");
    q.bind(":platform", platform);
    q.bind(":conversation", conversation);
    q.bind(":team", team);
    q.bind(":address", address);
    q.bind(":at", to_sql(at));
    execute(q);
  });
}

std::optional<std::string> SqliteStore::route(const std::string& platform, const std::string& team,
                                              const std::string& conversation) {
  return guarded(*this, "find a route", [&]() -> std::optional<std::string> {
    SQLite::Statement own(sql(),
                          "SELECT address FROM routes WHERE platform = :platform AND conversation = :conversation");
    own.bind(":platform", platform);
    own.bind(":conversation", conversation);
    if (own.executeStep()) return own.getColumn(0).getString();
    SQLite::Statement teams(sql(),
                            "SELECT address FROM routes WHERE platform = :platform AND team = :team"
                            " ORDER BY updated_at DESC LIMIT 1");
    teams.bind(":platform", platform);
    teams.bind(":team", team);
    if (teams.executeStep()) return teams.getColumn(0).getString();
    return std::nullopt;
  });
}

}  // namespace microalign::storage
