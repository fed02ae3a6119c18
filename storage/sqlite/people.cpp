// The people, workspaces and direct_conversations tables: who is who and where.
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
    auto& q = prepared("INSERT INTO people (team, user, name, updated_at) VALUES (:team, :user, :name, :at)"
                        " ON CONFLICT (team, user) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at"
                        " WHERE people.name <> excluded.name");
    ResetOnExit reset{q};
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

void SqliteStore::remember_workspace(const std::string& team, const std::string& platform) {
  require_transaction(*this, "storage::remember_workspace");
  guarded(*this, "remember a workspace", [&] {
    // Called for whatever a workspace says: writes nothing unless the platform is new.
    auto& q = prepared("INSERT INTO workspaces (team, platform) VALUES (:team, :platform)"
                        " ON CONFLICT (team) DO UPDATE SET platform = excluded.platform"
                        " WHERE workspaces.platform <> excluded.platform");
    ResetOnExit reset{q};
    q.bind(":team", team);
    q.bind(":platform", platform);
    execute(q);
  });
}

std::optional<std::string> SqliteStore::workspace_platform(const std::string& team) {
  return guarded(*this, "find a workspace's platform", [&]() -> std::optional<std::string> {
    SQLite::Statement q(sql(), "SELECT platform FROM workspaces WHERE team = :team");
    q.bind(":team", team);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
  });
}

void SqliteStore::remember_direct_conversation(const std::string& platform, const std::string& team,
                                               const std::string& user, const std::string& conversation, SysTime at) {
  require_transaction(*this, "storage::remember_direct_conversation");
  guarded(*this, "remember a direct conversation", [&] {
    SQLite::Statement q(sql(),
                        "INSERT INTO direct_conversations (platform, team, user, conversation, updated_at)"
                        " VALUES (:platform, :team, :user, :conversation, :at)"
                        " ON CONFLICT (platform, team, user) DO UPDATE SET"
                        " conversation = excluded.conversation, updated_at = excluded.updated_at"
                        " WHERE direct_conversations.conversation <> excluded.conversation");
    q.bind(":platform", platform);
    q.bind(":team", team);
    q.bind(":user", user);
    q.bind(":conversation", conversation);
    q.bind(":at", to_sql(at));
    execute(q);
  });
}

std::optional<std::string> SqliteStore::direct_conversation(const std::string& platform, const std::string& team,
                                                            const std::string& user) {
  return guarded(*this, "find a direct conversation", [&]() -> std::optional<std::string> {
    SQLite::Statement q(sql(),
                        "SELECT conversation FROM direct_conversations"
                        " WHERE platform = :platform AND team = :team AND user = :user");
    q.bind(":platform", platform);
    q.bind(":team", team);
    q.bind(":user", user);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
  });
}

}  // namespace microalign::storage
