// What the three trackers' decoders share: the delivery they read (signature already checked,
// body parsed), the verdicts they give, and careful reads of fields anyone could have sent.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "microalign/trackers/webhook.hpp"

namespace microalign::trackers {

// One authentic delivery, its body parsed into an object.
struct Delivery {
  const WebhookRequest& request;
  const nlohmann::json& body;
  SysTime now;
  const ParseOptions& options;

  // The header's value, or "" when it was not sent.
  std::string header(const std::string& lower_case_name) const;
  // The tracker's id for this delivery from `lower_case_name`, else a hash of the body: a
  // replay of the same bytes then still has the same id.
  std::string delivery_id(const std::string& lower_case_name) const;
};

WebhookOutcome decode_github(const Delivery&);
WebhookOutcome decode_jira(const Delivery&);
WebhookOutcome decode_linear(const Delivery&);

WebhookOutcome ignored(std::string why);
WebhookOutcome malformed(std::string why);
// An activity naming no ticket is ignored, saying so: there is nothing to store it on.
WebhookOutcome activity_or_ignored(TrackerActivity);

// Whether `object`'s member `name` is the JSON value true (not "true", not 1).
bool flag_member(const nlohmann::json& object, const char* name);
// `object`'s member `name` when it is a string, as one line of valid UTF-8 of at most `max_chars`
// characters; else "".
std::string text_member(const nlohmann::json& object, const char* name, std::size_t max_chars = 200);
// Text from the payload or a header quoted in a `why`: one short line of valid UTF-8.
std::string one_line(std::string_view outside_text);
// A link, kept whole or not at all: a URL cut short would lead somewhere else.
std::string url_member(const nlohmann::json& object, const char* name);
// `object`'s member `name` read as an RFC 3339 time; `fallback` when absent or unreadable.
SysTime time_member(const nlohmann::json& object, const char* name, SysTime fallback);

// The ticket keys written in `text` (a title, a commit message, a URL), as chat's parser finds
// them, appended to `tickets` unless already there.
void add_tickets_in(std::string_view text, const ParseOptions&, std::vector<std::string>& tickets);
// The same for a branch name, read in any case: Linear suggests "ana/eng-42-fix-export", Jira
// "ENG-42-fix-export"; both name ENG-42.
void add_tickets_in_branch(std::string_view branch, const ParseOptions&, std::vector<std::string>& tickets);

}  // namespace microalign::trackers
