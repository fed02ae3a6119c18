// The private PostgreSQL server tests/support/with_postgres.sh starts is the one the PostgreSQL
// storage will be tested against (issue 14): version 15 or later, reached on loopback only, with
// a password from PGPASSFILE, and a wrong password refused.
#include <libpq-fe.h>

#include <memory>
#include <string>

#include "test_postgres.hpp"

namespace {

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;

// The URI, with any further keywords on top of it (later keywords win in libpq).
Connection connect(const std::string& uri, const char* password = nullptr) {
  const char* keywords[] = {"dbname", "connect_timeout", password != nullptr ? "password" : nullptr, nullptr};
  const char* values[] = {uri.c_str(), "10", password, nullptr};
  return Connection(PQconnectdbParams(keywords, values, /*expand_dbname=*/1), &PQfinish);
}

std::string query_one(PGconn* connection, const char* sql) {
  std::unique_ptr<PGresult, decltype(&PQclear)> result(PQexec(connection, sql), &PQclear);
  REQUIRE(PQresultStatus(result.get()) == PGRES_TUPLES_OK);
  REQUIRE(PQntuples(result.get()) == 1);
  return PQgetvalue(result.get(), 0, 0);
}

}  // namespace

TEST_CASE("the test server is PostgreSQL 15 or later, reached with the password from PGPASSFILE") {
  const auto uri = test_postgres_uri();
  if (!uri) return;
  CHECK(uri->find(':', std::string("postgresql://").size()) > uri->find('@'));  // no password in the URI
  const auto connection = connect(*uri);
  INFO(PQerrorMessage(connection.get()));
  REQUIRE(PQstatus(connection.get()) == CONNECTION_OK);
  CHECK(PQserverVersion(connection.get()) >= 150000);
  CHECK(std::stoi(query_one(connection.get(), "SHOW server_version_num")) >= 150000);
  CHECK(PQconnectionUsedPassword(connection.get()) == 1);
  CHECK(query_one(connection.get(), "SHOW password_encryption") == "scram-sha-256");
}

TEST_CASE("the test server listens on loopback only") {
  const auto uri = test_postgres_uri();
  if (!uri) return;
  const auto connection = connect(*uri);
  INFO(PQerrorMessage(connection.get()));
  REQUIRE(PQstatus(connection.get()) == CONNECTION_OK);
  CHECK(query_one(connection.get(), "SHOW listen_addresses") == "127.0.0.1");
  CHECK(query_one(connection.get(), "SELECT host(inet_server_addr())") == "127.0.0.1");
}

TEST_CASE("the test server refuses a wrong password") {
  const auto uri = test_postgres_uri();
  if (!uri) return;
  const auto connection = connect(*uri, "not-the-password");
  CHECK(PQstatus(connection.get()) == CONNECTION_BAD);
  CHECK_THAT(PQerrorMessage(connection.get()), Catch::Contains("password authentication failed"));
}
