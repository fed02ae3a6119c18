// Where each platform's conversations are reached, on PostgreSQL (the routes table).
#include "error.hpp"
#include "microalign/storage/postgres_store.hpp"
#include "pg.hpp"
#include "sql_time.hpp"

namespace microalign::storage {

void PostgresStore::remember_route(const std::string& platform, const std::string& team,
                                   const std::string& conversation, const std::string& address, SysTime at) {
  require_transaction(*this, "storage::remember_route");
  guarded(*this, "remember a route", [&] {
    // Heard from on every activity: writes only when something changed, or a day went by (the
    // team's latest address is found by updated_at); the row is not even locked otherwise (see
    // storage/postgres/people.cpp).
    pg::Query(*connection_,
              "INSERT INTO routes (platform, conversation, team, address, updated_at)"
              " SELECT :platform, :conversation, :team, :address, :at::bigint"
              " WHERE NOT EXISTS (SELECT 1 FROM routes WHERE platform = :platform AND conversation = :conversation"
              " AND team = :team AND address = :address AND :at::bigint - updated_at <= 86400000)"
              " ON CONFLICT (platform, conversation) DO UPDATE SET team = excluded.team,"
              " address = excluded.address, updated_at = excluded.updated_at"
              " WHERE routes.address <> excluded.address OR routes.team <> excluded.team"
              " OR excluded.updated_at - routes.updated_at > 86400000")
        .bind("platform", platform)
        .bind("conversation", conversation)
        .bind("team", team)
        .bind("address", address)
        .bind("at", to_sql(at))
        .run();
  });
}

std::optional<std::string> PostgresStore::route(const std::string& platform, const std::string& team,
                                                const std::string& conversation) {
  return guarded(*this, "find a route", [&] {
    // The conversation's own address, else its team's latest: one round trip (coalesce reads the
    // second only when the first is NULL).
    return pg::Query(*connection_,
                     "SELECT coalesce("
                     " (SELECT address FROM routes WHERE platform = :platform AND conversation = :conversation),"
                     " (SELECT address FROM routes WHERE platform = :platform AND team = :team"
                     " ORDER BY updated_at DESC LIMIT 1))")
        .bind("platform", platform)
        .bind("conversation", conversation)
        .bind("team", team)
        .run()
        .optional_text(0, 0);
  });
}

}  // namespace microalign::storage
