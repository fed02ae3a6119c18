// Opening a PostgresStore (connecting, refusing what is not ours, migrating under an advisory
// lock), and the transaction controls the commit queue drives.
#include "microalign/storage/postgres_store.hpp"

#include "error.hpp"
#include "migrations.hpp"
#include "pg.hpp"

namespace microalign::storage {
namespace {

// Held while migrating, so that replicas starting together apply each migration once: the others
// wait, then find the schema current. The key is the bytes of "microali". Advisory locks are per
// database (every schema in it shares this one).
constexpr const char* lock_schema = "SELECT pg_advisory_lock(7883409208011419753)";
constexpr const char* unlock_schema = "SELECT pg_advisory_unlock(7883409208011419753)";

int version_in(pg::Connection& db) {
  auto exists = pg::Query(db, "SELECT to_regclass('microalign_schema') IS NOT NULL").run();
  if (exists.text(0, 0) != "t") return 0;
  return static_cast<int>(pg::Query(db, "SELECT version FROM microalign_schema").run().int64(0, 0));
}

// The tables in the schema microalign would use, comma-separated ("" when it is empty).
std::string tables_in(pg::Connection& db) {
  return pg::Query(db,
                   "SELECT coalesce(string_agg(tablename, ', ' ORDER BY tablename), '') FROM pg_tables"
                   " WHERE schemaname = current_schema()")
      .run()
      .text(0, 0);
}

// MICROALIGN_DB naming another application's database must not turn it into ours.
void refuse_foreign(pg::Connection& db) {
  const auto tables = tables_in(db);
  if (tables.empty()) return;
  throw pg::Error("not a microalign database (its schema holds other tables: " + tables +
                      "); left untouched: set MICROALIGN_DB to another database or schema",
                  "");
}

void apply(pg::Connection& db, const Migration& m, int found) {
  db.exec("BEGIN");
  try {
    db.exec(std::string(m.sql));
    if (found == 0) {
      db.exec("CREATE TABLE microalign_schema (version INTEGER NOT NULL); INSERT INTO microalign_schema VALUES (0)");
    }
    pg::Query(db, "UPDATE microalign_schema SET version = :version").bind("version", m.version).run();
    db.exec("COMMIT");
  } catch (...) {
    try {
      db.exec("ROLLBACK");
    } catch (const pg::Error&) {
      // The connection is gone; the transaction went with it.
    }
    throw;
  }
}

void migrate(pg::Connection& db) {
  const int known = postgres::latest_version();
  db.exec(lock_schema);
  try {
    const int found = version_in(db);
    if (found == 0) refuse_foreign(db);
    if (found > known) {
      throw pg::Error("schema version " + std::to_string(found) + " is newer than this binary supports (" +
                          std::to_string(known) + "); run a newer microalign",
                      "");
    }
    int at = found;
    for (const Migration& m : postgres::migrations()) {
      if (m.version <= at) continue;
      apply(db, m, at);
      at = m.version;
    }
  } catch (...) {
    try {
      db.exec(unlock_schema);
    } catch (const pg::Error&) {
      // Closing the connection releases it.
    }
    throw;
  }
  db.exec(unlock_schema);
}

// libpq's reasons span lines ("…failed: Connection refused\n\tIs the server running…"): an
// operator gets them as one line of a log or of a verb's error, its lines as sentences.
std::unique_ptr<pg::Connection> connect_to(const std::string& uri) {
  try {
    return std::make_unique<pg::Connection>(uri);
  } catch (const pg::Error& e) {
    std::string why;
    for (const char c : std::string_view(e.what())) {
      if (c == '\t') continue;
      if (c != '\n') {
        why += c;
      } else if (!why.empty() && why.back() != ' ') {
        why += std::string_view(".?:").find(why.back()) == std::string_view::npos ? ". " : " ";
      }
    }
    throw pg::Error(why, e.sqlstate);
  }
}

}  // namespace

std::unique_ptr<PostgresStore> PostgresStore::open(const std::string& uri) {
  // Until connected the name is unknown: the URI itself may hold the password, so it is not used.
  auto connection = guarded("PostgreSQL", "connect", [&] { return connect_to(uri); });
  guarded(connection->name(), "migrate", [&] { migrate(*connection); });
  return std::unique_ptr<PostgresStore>(new PostgresStore(std::move(connection)));
}

PostgresStore::PostgresStore(std::unique_ptr<pg::Connection> connection) : connection_(std::move(connection)) {}

PostgresStore::~PostgresStore() = default;

int PostgresStore::latest_schema_version() { return postgres::latest_version(); }

PostgresStore::Inspection PostgresStore::inspect(const std::string& uri) {
  auto connection = guarded("PostgreSQL", "connect", [&] { return connect_to(uri); });
  auto& db = *connection;
  return guarded(db.name(), "inspect", [&] {
    db.exec("SET default_transaction_read_only = on");  // looking must never change it
    const char* server = PQparameterStatus(db.raw(), "server_version");
    Inspection found{db.name(), server ? server : "?", version_in(db), {}};
    if (found.schema_version == 0) found.foreign_tables = tables_in(db);
    return found;
  });
}

int PostgresStore::schema_version() const {
  return guarded(name(), "read schema version", [&] { return version_in(*connection_); });
}

const std::string& PostgresStore::name() const { return connection_->name(); }

void PostgresStore::begin() {
  guarded(*this, "begin", [&] {
    connection_->reconnect_if_broken();
    try {
      connection_->exec("BEGIN");
    } catch (const pg::Error&) {
      // A server restarted (or a connection cut by a proxy) is only noticed when a statement
      // fails: nothing has run yet, so connect again and begin once more.
      if (PQstatus(connection_->raw()) == CONNECTION_OK) throw;
      connection_->reconnect_if_broken();
      connection_->exec("BEGIN");
    }
  });
}

void PostgresStore::commit() {
  guarded(*this, "commit", [&] {
    // PostgreSQL answers COMMIT of a transaction that failed part-way with a ROLLBACK, not an
    // error: that must not pass for durable.
    if (PQtransactionStatus(connection_->raw()) == PQTRANS_INERROR) {
      throw pg::Error("a statement failed inside the transaction; nothing of it was stored", "25P02");
    }
    connection_->exec("COMMIT");
  });
}

void PostgresStore::rollback() {
  if (!in_transaction()) return;
  guarded(*this, "rollback", [&] { connection_->exec("ROLLBACK"); });
}

bool PostgresStore::in_transaction() const { return connection_->in_transaction(); }

void PostgresStore::savepoint() {
  guarded(*this, "savepoint", [&] { connection_->exec("SAVEPOINT item"); });
}

void PostgresStore::release_savepoint() {
  guarded(*this, "release savepoint", [&] { connection_->exec("RELEASE SAVEPOINT item"); });
}

void PostgresStore::rollback_to_savepoint() {
  guarded(*this, "rollback to savepoint", [&] {
    connection_->exec("ROLLBACK TO SAVEPOINT item");
    connection_->exec("RELEASE SAVEPOINT item");
  });
}

bool PostgresStore::claim_job(std::string_view job) {
  require_transaction(*this, "storage::claim_job");
  return guarded(*this, "claim a job", [&] {
    // A transaction-scoped advisory lock, in the key space of the schema lock's first half.
    return pg::Query(*connection_, "SELECT pg_try_advisory_xact_lock(1835623282, hashtext(:job))")
               .bind("job", job)
               .run()
               .text(0, 0) == "t";
  });
}

}  // namespace microalign::storage
