// A test schema (tests/support/test_postgres.hpp) for a test that runs the real binary on it: the
// environment the binary needs, the server's password (what must never show), and a skip when
// there is no server.
#pragma once

#include <cstdlib>
#include <fstream>
#include <optional>
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
    if (const auto server = test_postgres_uri()) schema_.emplace(*server);
  }

  bool available() const { return schema_.has_value(); }

  // MICROALIGN_DB for the schema; the password comes from PGPASSFILE, as with_postgres.sh set it.
  std::string uri() const { return schema_->uri(); }
  // The same with the password in the URI itself.
  std::string uri_with_password() const { return schema_->uri_with_password(password()); }
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

  // Runs `statements` in the schema (such as another application's tables, or a schema version).
  void sql(const std::string& statements) const { schema_->execute(statements); }

 private:
  std::optional<TestSchema> schema_;
};

}  // namespace microalign::test
