// When to try again after a Socket Mode connection fails, and when not to. Pure, with the
// randomness injected so the schedule is testable.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

namespace microalign::slack {

// Capped exponential backoff with full jitter: the n-th wait is uniform in
// [0, min(cap, base·2ⁿ)], so many bots restarting together do not reconnect in lock-step.
// A server's Retry-After is a floor: we never come back sooner than asked.
class Backoff {
 public:
  using Uniform = std::function<double()>;  // returns a value in [0, 1)

  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, Uniform uniform);

  std::chrono::milliseconds next(std::optional<std::chrono::seconds> retry_after = std::nullopt);
  void reset() { attempt_ = 0; }
  int attempts() const { return attempt_; }

 private:
  std::chrono::milliseconds base_;
  std::chrono::milliseconds cap_;
  Uniform uniform_;
  int attempt_ = 0;
};

// Slack errors that no amount of retrying fixes: the token is wrong, revoked, or its workspace
// or user is gone. (The list Slack's Node SDK treats as unrecoverable, plus token_revoked.)
bool is_fatal_auth_error(std::string_view slack_error);

}  // namespace microalign::slack
