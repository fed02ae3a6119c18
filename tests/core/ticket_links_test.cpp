// Where ticket keys link: GitHub references always, a link the author pasted for the key next,
// then the one tracker configured (MICROALIGN_JIRA_URL or MICROALIGN_LINEAR_URL).
#include <catch2/catch.hpp>

#include "microalign/core/ticket_links.hpp"

using namespace microalign;

TEST_CASE("a configured tracker links the keys nobody pasted a link for", "[trackers]") {
  const TrackerHomes jira{"https://acme.atlassian.net/", ""};
  const TrackerHomes linear{"", "https://linear.app/acme"};
  CHECK(ticket_url("ENG-42", {}, jira) == "https://acme.atlassian.net/browse/ENG-42");
  CHECK(ticket_url("ENG-42", {}, linear) == "https://linear.app/acme/issue/ENG-42");
  CHECK(ticket_url("ENG-42", {}, {}).empty());
  // A pasted link names the very tracker, so it comes first; GitHub references never change.
  CHECK(ticket_url("ENG-42", {"https://other.atlassian.net/browse/ENG-42"}, linear) ==
        "https://other.atlassian.net/browse/ENG-42");
  CHECK(ticket_url("acme/web#9", {}, jira) == "https://github.com/acme/web/issues/9");
  // Both configured: a key could be either's, so only a pasted link says.
  const TrackerHomes both{"https://acme.atlassian.net", "https://linear.app/acme"};
  CHECK(ticket_url("ENG-42", {}, both).empty());
  CHECK(ticket_url("ENG-42", {"https://linear.app/acme/issue/ENG-42/title"}, both) ==
        "https://linear.app/acme/issue/ENG-42/title");
}
