#pragma once
// Where a test finds the private PostgreSQL server tests/support/with_postgres.sh runs for it.
#include <catch2/catch.hpp>
#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <random>
#include <stdexcept>
#include <string>

// The server's URI, or nothing when there is none. CI (deploy/test.sh sets
// MICROALIGN_REQUIRE_POSTGRES=1) fails then, so a missing server can never pass as skipped tests;
// a developer's plain ctest run skips, saying how to get one (the ctest property
// SKIP_REGULAR_EXPRESSION turns this message into a skip).
inline std::optional<std::string> test_postgres_uri() {
  if (const char* uri = std::getenv("MICROALIGN_TEST_POSTGRES"); uri != nullptr && *uri != '\0') return uri;
  const char* required = std::getenv("MICROALIGN_REQUIRE_POSTGRES");
  if (required != nullptr && std::string(required) == "1")
    FAIL(
        "MICROALIGN_TEST_POSTGRES is not set but MICROALIGN_REQUIRE_POSTGRES=1: run through "
        "tests/support/with_postgres.sh");
  std::cout << "skipped: no PostgreSQL server (MICROALIGN_TEST_POSTGRES is not set); run "
               "tests/support/with_postgres.sh ctest ...\n";
  return std::nullopt;
}

// A fresh, empty database on the test server for one test: a schema of its own (dropped at the
// end), reached through a URI that makes it the search path, so that tests running in parallel
// (or several processes of one test) never see another test's rows.
class TestSchema {
 public:
  explicit TestSchema(std::string server) : server_(std::move(server)) {
    static std::atomic<int> counter{0};
    name_ = "t" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
            std::to_string(std::random_device{}() % 100000);
    run(server_, "CREATE SCHEMA " + name_);
    uri_ = in_schema(server_);
  }
  ~TestSchema() {
    try {
      run(server_, "SET client_min_messages = warning; DROP SCHEMA " + name_ + " CASCADE");
    } catch (...) {
      // The server is going away with the test run.
    }
  }
  TestSchema(const TestSchema&) = delete;
  TestSchema& operator=(const TestSchema&) = delete;

  // What MICROALIGN_DB says for it (no password: that comes from PGPASSFILE).
  const std::string& uri() const { return uri_; }
  // The same with `password` in the URI itself (an operator's other way to give it).
  std::string uri_with_password(const std::string& password) const {
    std::string with = server_;
    with.insert(with.find('@'), ":" + password);
    return in_schema(with);
  }

  // Runs statements in the schema (as another program would set it up).
  void execute(const std::string& statements) const { run(uri_, statements); }

  // The first column of the first row `sql` reads in the schema, as text: for what no storage
  // method reads (how many rows a table holds).
  std::string first_value(const std::string& sql) const {
    const auto conn = connect(uri_);
    const Result result(PQexec(conn.get(), sql.c_str()), &PQclear);
    if (PQresultStatus(result.get()) != PGRES_TUPLES_OK || PQntuples(result.get()) == 0)
      throw std::runtime_error(sql + ": " + PQerrorMessage(conn.get()));
    return PQgetvalue(result.get(), 0, 0);
  }

 private:
  using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;
  using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

  static Connection connect(const std::string& uri) {
    Connection conn(PQconnectdb(uri.c_str()), &PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK) throw std::runtime_error(PQerrorMessage(conn.get()));
    return conn;
  }
  std::string in_schema(const std::string& base) const {
    return base + (base.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + name_;
  }
  static void run(const std::string& uri, const std::string& sql) {
    const auto conn = connect(uri);
    const Result result(PQexec(conn.get(), sql.c_str()), &PQclear);
    if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) throw std::runtime_error(PQerrorMessage(conn.get()));
  }

  std::string server_;
  std::string name_;
  std::string uri_;
};
