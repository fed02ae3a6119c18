#include "microalign/storage/sqlite_store.hpp"

#include <SQLiteCpp/Statement.h>

#include "sql_time.hpp"
#include "statements.hpp"
#include "store_ops.hpp"

namespace microalign::storage {

void SqliteStore::remember_name(const std::string& team, const std::string& user, const std::string& name, SysTime at) {
  require_transaction(*this, "storage::remember_name");
  if (name.empty()) return;
  guarded(*this, "remember a name", [&] {
    SQLite::Statement q(sql(),
                        "INSERT INTO people (team, user, name, updated_at) VALUES (:team, :user, :name, :at)"
                        " ON CONFLICT (team, user) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at"
                        " WHERE people.name <> excluded.name");
    q.bind(":team", team);
    q.bind(":user", user);
    q.bind(":name", name);
    q.bind(":at", to_sql(at));
    execute(q);
  });
}

std::map<std::string, std::string> SqliteStore::known_names(const std::string& team) {
  return guarded(*this, "read names", [&] {
    // A row made by a nudge setting before its person posted has no name yet: not a name.
    SQLite::Statement q(sql(), "SELECT user, name FROM people WHERE team = :team AND name <> ''");
    q.bind(":team", team);
    std::map<std::string, std::string> names;
    while (q.executeStep()) names.emplace(q.getColumn(0).getString(), q.getColumn(1).getString());
    return names;
  });
}

std::optional<std::string> SqliteStore::team_of_channel(const std::string& channel) {
  return guarded(*this, "find a channel's workspace", [&]() -> std::optional<std::string> {
    SQLite::Statement q(sql(),
                        "SELECT team FROM channel_settings WHERE channel = :channel"
                        " UNION ALL SELECT team FROM (SELECT team FROM updates WHERE channel = :channel"
                        " ORDER BY id DESC LIMIT 1) LIMIT 1");
    q.bind(":channel", channel);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
  });
}

}  // namespace microalign::storage
