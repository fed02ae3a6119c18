#include "microalign/slack/reconnect_policy.hpp"

#include <algorithm>
#include <array>

namespace microalign::slack {

Backoff::Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap, Uniform uniform)
    : base_(base), cap_(cap), uniform_(std::move(uniform)) {}

std::chrono::milliseconds Backoff::next(std::optional<std::chrono::seconds> retry_after) {
  // Doubling stops once past the cap, so the shift can never overflow.
  auto ceiling = base_;
  for (int i = 0; i < attempt_ && ceiling < cap_; ++i) ceiling *= 2;
  ceiling = std::min(ceiling, cap_);
  ++attempt_;
  auto wait = std::chrono::milliseconds(
      static_cast<std::chrono::milliseconds::rep>(uniform_() * static_cast<double>(ceiling.count())));
  if (retry_after) wait = std::max<std::chrono::milliseconds>(wait, *retry_after);
  return wait;
}

bool is_fatal_auth_error(std::string_view slack_error) {
  static constexpr std::array fatal{
      std::string_view{"not_authed"},       std::string_view{"invalid_auth"},
      std::string_view{"account_inactive"}, std::string_view{"user_removed_from_team"},
      std::string_view{"team_disabled"},    std::string_view{"token_revoked"},
      std::string_view{"token_expired"},    std::string_view{"not_allowed_token_type"},
  };
  return std::find(fatal.begin(), fatal.end(), slack_error) != fatal.end();
}

}  // namespace microalign::slack
