#include <catch2/catch.hpp>

#include "microalign/slack/reconnect_policy.hpp"

using namespace microalign::slack;
using namespace std::chrono_literals;

TEST_CASE("backoff doubles its ceiling up to the cap", "[backoff]") {
  Backoff backoff(1s, 60s, [] { return 0.999999; });  // always near the ceiling
  std::vector<long> waits;
  for (int i = 0; i < 9; ++i) waits.push_back(std::chrono::duration_cast<std::chrono::seconds>(backoff.next()).count());
  CHECK(waits == std::vector<long>{0, 1, 3, 7, 15, 31, 59, 59, 59});
  CHECK(backoff.attempts() == 9);
  backoff.reset();
  CHECK(backoff.next() < 1s);
}

TEST_CASE("full jitter can wait anywhere from zero to the ceiling", "[backoff]") {
  Backoff low(1s, 60s, [] { return 0.0; });
  for (int i = 0; i < 5; ++i) CHECK(low.next() == 0ms);
  Backoff half(1s, 60s, [] { return 0.5; });
  CHECK(half.next() == 500ms);
  CHECK(half.next() == 1000ms);
  CHECK(half.next() == 2000ms);
}

TEST_CASE("Retry-After is a floor", "[backoff]") {
  Backoff backoff(1s, 60s, [] { return 0.0; });
  CHECK(backoff.next(30s) == 30s);
  Backoff high(1s, 4s, [] { return 0.999; });
  CHECK(high.next(std::chrono::seconds(0)) < 1s);
}

TEST_CASE("many attempts never overflow", "[backoff]") {
  Backoff backoff(1s, 60s, [] { return 0.999; });
  for (int i = 0; i < 10000; ++i) backoff.next();
  CHECK(backoff.next() <= 60s);
}

TEST_CASE("auth errors are fatal, others are worth retrying", "[backoff]") {
  for (auto e : {"invalid_auth", "not_authed", "account_inactive", "token_revoked"}) CHECK(is_fatal_auth_error(e));
  for (auto e : {"ratelimited", "internal_error", "fatal_error", ""}) CHECK_FALSE(is_fatal_auth_error(e));
}
