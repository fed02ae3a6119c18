// The people, workspaces and direct_conversations tables on PostgreSQL: who is who and where.
#include "error.hpp"
#include "microalign/storage/postgres_store.hpp"
#include "pg.hpp"
#include "sql_time.hpp"

namespace microalign::storage {

void PostgresStore::remember_name(const std::string& team, const std::string& user, const std::string& name,
                                  SysTime at) {
  require_transaction(*this, "storage::remember_name");
  if (name.empty()) return;
  guarded(*this, "remember a name", [&] {
    pg::Query(*connection_,
              "INSERT INTO people (team, \"user\", name, updated_at) SELECT :team, :user, :name, CAST(:at AS BIGINT)"
              // Not even attempted for a name already known: ON CONFLICT locks the row though it
              // writes nothing, and replicas storing updates of the same people at once then
              // deadlock on those locks (taken in different orders in their batches).
              " WHERE NOT EXISTS (SELECT 1 FROM people WHERE team = :team AND \"user\" = :user AND name = :name)"
              " ON CONFLICT (team, \"user\") DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at"
              " WHERE people.name <> excluded.name")
        .bind("team", team)
        .bind("user", user)
        .bind("name", name)
        .bind("at", to_sql(at))
        .run();
  });
}

std::map<std::string, std::string> PostgresStore::known_names(const std::string& team) {
  return guarded(*this, "read names", [&] {
    // A row made by a nudge setting before its person posted has no name yet: not a name.
    const auto rows = pg::Query(*connection_, "SELECT \"user\", name FROM people WHERE team = :team AND name <> ''")
                          .bind("team", team)
                          .run();
    std::map<std::string, std::string> names;
    for (int i = 0; i < rows.rows(); ++i) names.emplace(rows.text(i, 0), rows.text(i, 1));
    return names;
  });
}

std::optional<std::string> PostgresStore::team_of_channel(const std::string& channel) {
  return guarded(*this, "find a channel's workspace", [&] {
    // The channel's settings first; else its latest update (coalesce reads the second only when needed).
    return pg::Query(*connection_,
                     "SELECT coalesce((SELECT team FROM channel_settings WHERE channel = :channel LIMIT 1),"
                     " (SELECT team FROM updates WHERE channel = :channel ORDER BY id DESC LIMIT 1))")
        .bind("channel", channel)
        .run()
        .optional_text(0, 0);
  });
}

void PostgresStore::remember_workspace(const std::string& team, const std::string& platform) {
  require_transaction(*this, "storage::remember_workspace");
  guarded(*this, "remember a workspace", [&] {
    // Called for whatever a workspace says: writes nothing unless the platform is new.
    pg::Query(*connection_,
              "INSERT INTO workspaces (team, platform) SELECT :team, :platform"
              // As for remember_name: no row lock (ON CONFLICT's) where there is nothing to write.
              " WHERE NOT EXISTS (SELECT 1 FROM workspaces WHERE team = :team AND platform = :platform)"
              " ON CONFLICT (team) DO UPDATE SET platform = excluded.platform"
              " WHERE workspaces.platform <> excluded.platform")
        .bind("team", team)
        .bind("platform", platform)
        .run();
  });
}

std::optional<std::string> PostgresStore::workspace_platform(const std::string& team) {
  return guarded(*this, "find a workspace's platform", [&]() -> std::optional<std::string> {
    const auto rows =
        pg::Query(*connection_, "SELECT platform FROM workspaces WHERE team = :team").bind("team", team).run();
    if (rows.rows() == 0) return std::nullopt;
    return rows.text(0, 0);
  });
}

void PostgresStore::remember_direct_conversation(const std::string& platform, const std::string& team,
                                                 const std::string& user, const std::string& conversation, SysTime at) {
  require_transaction(*this, "storage::remember_direct_conversation");
  guarded(*this, "remember a direct conversation", [&] {
    pg::Query(*connection_,
              "INSERT INTO direct_conversations (platform, team, \"user\", conversation, updated_at)"
              " VALUES (:platform, :team, :user, :conversation, :at)"
              " ON CONFLICT (platform, team, \"user\") DO UPDATE SET"
              " conversation = excluded.conversation, updated_at = excluded.updated_at"
              " WHERE direct_conversations.conversation <> excluded.conversation")
        .bind("platform", platform)
        .bind("team", team)
        .bind("user", user)
        .bind("conversation", conversation)
        .bind("at", to_sql(at))
        .run();
  });
}

std::optional<std::string> PostgresStore::direct_conversation(const std::string& platform, const std::string& team,
                                                              const std::string& user) {
  return guarded(*this, "find a direct conversation", [&]() -> std::optional<std::string> {
    const auto rows = pg::Query(*connection_,
                                "SELECT conversation FROM direct_conversations"
                                " WHERE platform = :platform AND team = :team AND \"user\" = :user")
                          .bind("platform", platform)
                          .bind("team", team)
                          .bind("user", user)
                          .run();
    if (rows.rows() == 0) return std::nullopt;
    return rows.text(0, 0);
  });
}

}  // namespace microalign::storage
