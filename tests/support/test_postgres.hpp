#pragma once
// Where a test finds the private PostgreSQL server tests/support/with_postgres.sh runs for it.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>
#include <optional>
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
