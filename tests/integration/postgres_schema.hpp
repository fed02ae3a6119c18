// A fresh, empty PostgreSQL schema on the private test server (tests/support/with_postgres.sh)
// for a test that runs the real binary on it, dropped at the end: tests running side by side
// never see each other's rows. The same approach as tests/storage/engines.hpp's TestDatabase,
// kept to what the binary's tests need (a URI, with or without the password in it, and SQL to set
// the schema up as another program would); once that class is shared from
// tests/support/test_postgres.hpp this one should become a use of it.
#pragma once

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>

#include "process.hpp"
#include "test_postgres.hpp"

namespace microalign::test {

class PostgresSchema {
 public:
  // Without a server: available() is false, and test_postgres_uri() has printed the skip line (or,
  // with MICROALIGN_REQUIRE_POSTGRES=1, failed the test).
  PostgresSchema() {
    const auto server = test_postgres_uri();
    if (!server) return;
    static std::atomic<int> counter{0};
    schema_ = "cli" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
              std::to_string(std::random_device{}() % 100000);
    server_ = *server;
    sql_on(server_, "CREATE SCHEMA " + schema_);
  }
  ~PostgresSchema() {
    if (schema_.empty()) return;
    try {
      sql_on(server_, "SET client_min_messages = warning; DROP SCHEMA " + schema_ + " CASCADE");
    } catch (...) {
      // The server is going away with the test run.
    }
  }
  PostgresSchema(const PostgresSchema&) = delete;
  PostgresSchema& operator=(const PostgresSchema&) = delete;

  bool available() const { return !schema_.empty(); }

  // MICROALIGN_DB for the schema; the password comes from PGPASSFILE, as with_postgres.sh set it.
  std::string uri() const { return in_schema(server_); }
  // The same with the password in the URI itself (an operator's other way to give it).
  std::string uri_with_password() const {
    std::string with = server_;
    with.insert(with.find('@'), ":" + password());
    return in_schema(with);
  }
  // The test server's password (from the PGPASSFILE with_postgres.sh wrote): what must never show.
  static std::string password() {
    const char* file = std::getenv("PGPASSFILE");
    if (file == nullptr) throw std::runtime_error("PGPASSFILE is not set: run through tests/support/with_postgres.sh");
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    return line.substr(line.rfind(':') + 1);  // host:port:database:user:password
  }
  // What the binary needs to reach the schema: MICROALIGN_DB, and PGPASSFILE for the password.
  Process::Environment env() const { return {{"MICROALIGN_DB", uri()}, {"PGPASSFILE", std::getenv("PGPASSFILE")}}; }

  // Runs `sql` in the schema (such as another application's tables, or a schema version).
  void sql(const std::string& statements) const { sql_on(uri(), statements); }

 private:
  std::string in_schema(const std::string& base) const {
    return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + schema_;
  }
  static void sql_on(const std::string& uri, const std::string& statements) {
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(uri.c_str()), &PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK) throw std::runtime_error(PQerrorMessage(conn.get()));
    std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(conn.get(), statements.c_str()), &PQclear);
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) throw std::runtime_error(PQerrorMessage(conn.get()));
  }

  std::string server_;
  std::string schema_;
};

}  // namespace microalign::test
