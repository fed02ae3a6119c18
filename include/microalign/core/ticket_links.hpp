// Where a ticket key links to: GitHub references to GitHub; Jira and Linear keys to the tracker
// configured for them (MICROALIGN_JIRA_URL, MICROALIGN_LINEAR_URL), else to a link the author
// pasted for that key.
#pragma once

#include <string>
#include <vector>

namespace microalign {

struct TrackerHomes {
  std::string jira_url;    // "https://acme.atlassian.net": keys link to <it>/browse/ENG-42
  std::string linear_url;  // "https://linear.app/acme": keys link to <it>/issue/ENG-42
};

// The URL `key` links to, or empty when we cannot tell. A link the author pasted for the key comes
// first (it names the very tracker); then the one tracker configured for Jira-style keys — with
// both Jira and Linear configured, a key could be either's, so only a pasted link says.
std::string ticket_url(const std::string& key, const std::vector<std::string>& links, const TrackerHomes& = {});

}  // namespace microalign
