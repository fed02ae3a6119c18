#include "decoding.hpp"

#include <algorithm>

#include "microalign/core/export.hpp"
#include "microalign/core/json_fields.hpp"
#include "microalign/core/text.hpp"
#include "microalign/trackers/signature.hpp"

namespace microalign::trackers {
namespace {

// Longer than any link a tracker makes (GitHub's longest are compare URLs of two 40-digit shas).
constexpr std::size_t max_url_bytes = 2048;

}  // namespace

std::string Delivery::header(const std::string& lower_case_name) const {
  const auto it = request.headers.find(lower_case_name);
  return it == request.headers.end() ? std::string{} : it->second;
}

std::string Delivery::delivery_id(const std::string& lower_case_name) const {
  auto id = sanitize_utf8(header(lower_case_name), 200);
  return id.empty() ? "sha256:" + sha256_hex(request.body) : id;
}

WebhookOutcome ignored(std::string why) { return {WebhookOutcome::Verdict::ignored, std::nullopt, std::move(why)}; }

WebhookOutcome malformed(std::string why) { return {WebhookOutcome::Verdict::malformed, std::nullopt, std::move(why)}; }

WebhookOutcome activity_or_ignored(TrackerActivity activity) {
  const auto what = std::string(to_string(activity.tracker)) + " " + std::string(to_string(activity.action)) + " " +
                    (activity.item.empty() ? std::string("(no item)") : activity.item);
  if (activity.tickets.empty()) return ignored(what + ": names no ticket");
  auto why = what + ": ";
  for (std::size_t i = 0; i < activity.tickets.size(); ++i) why += (i == 0 ? "" : ", ") + activity.tickets[i];
  return {WebhookOutcome::Verdict::activity, std::move(activity), std::move(why)};
}

bool flag_member(const nlohmann::json& object, const char* name) {
  if (!object.is_object()) return false;
  const auto it = object.find(name);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

std::string text_member(const nlohmann::json& object, const char* name, std::size_t max_chars) {
  return shortened(sanitize_utf8(json_string_member(object, name)), max_chars);
}

std::string one_line(std::string_view outside_text) { return shortened(sanitize_utf8(outside_text), 64); }

std::string url_member(const nlohmann::json& object, const char* name) {
  auto url = json_string_member(object, name);
  return url.size() <= max_url_bytes && sanitize_utf8(url) == url ? url : std::string{};
}

SysTime time_member(const nlohmann::json& object, const char* name, SysTime fallback) {
  return parse_rfc3339(json_string_member(object, name)).value_or(fallback);
}

void add_tickets_in(std::string_view text, const ParseOptions& options, std::vector<std::string>& tickets) {
  for (auto& key : find_tickets(text, {}, options)) {
    if (std::ranges::find(tickets, key) == tickets.end()) tickets.push_back(std::move(key));
  }
}

void add_tickets_in_branch(std::string_view branch, const ParseOptions& options, std::vector<std::string>& tickets) {
  add_tickets_in(upper_case(branch), options, tickets);
}

}  // namespace microalign::trackers
