#include "microalign/core/ticket_links.hpp"

#include <cctype>

namespace microalign {
namespace {

std::string under(std::string base, const std::string& path, const std::string& key) {
  while (base.ends_with('/')) base.pop_back();
  return base + path + key;
}

}  // namespace

std::string ticket_url(const std::string& key, const std::vector<std::string>& links, const TrackerHomes& homes) {
  if (auto hash = key.find('#'); hash != std::string::npos) {
    // owner/repo#12: GitHub redirects /issues/N to /pull/N, so one form serves both.
    return "https://github.com/" + key.substr(0, hash) + "/issues/" + key.substr(hash + 1);
  }
  for (const auto& url : links) {
    auto at = url.find(key);
    if (at == std::string::npos) continue;
    const auto end = at + key.size();
    const bool whole_key = end == url.size() || !std::isdigit(static_cast<unsigned char>(url[end]));
    if (whole_key && at > 0 && url[at - 1] == '/') return url;
  }
  if (!homes.jira_url.empty() && homes.linear_url.empty()) return under(homes.jira_url, "/browse/", key);
  if (!homes.linear_url.empty() && homes.jira_url.empty()) return under(homes.linear_url, "/issue/", key);
  return {};
}

}  // namespace microalign
