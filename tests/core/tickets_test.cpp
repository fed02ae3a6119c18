#include <catch2/catch.hpp>

#include "microalign/core/parse.hpp"

namespace microalign {
namespace {

using Keys = std::vector<std::string>;

Keys tickets_in(std::string_view text, const ParseOptions& options = {}) {
  return find_tickets(text, {}, options);
}

TEST_CASE("Jira and Linear keys in text, in order of appearance, once each") {
  CHECK(tickets_in("ENG-42 then OPS-7, then ENG-42 again") == Keys{"ENG-42", "OPS-7"});
  CHECK(tickets_in("(ENG-1) [ENG-2] ENG-3. ENG-4: ENG-5; 'ENG-6' ENG-7-login #ENG-8") ==
        Keys{"ENG-1", "ENG-2", "ENG-3", "ENG-4", "ENG-5", "ENG-6", "ENG-7", "ENG-8"});
  CHECK(tickets_in("branch feature/ENG-9-login") == Keys{"ENG-9"});
  CHECK(tickets_in("A1B2-77 and ABCDEFGHIJ-1") == Keys{"A1B2-77", "ABCDEFGHIJ-1"});
}

TEST_CASE("things shaped like keys that are not keys") {
  CHECK(tickets_in("eng-42 Eng-42 eNG-42").empty());     // projects are upper case
  CHECK(tickets_in("fooENG-42 ENG-42x ENG-").empty());   // not words of their own
  CHECK(tickets_in("ABCDEFGHIJK-1 E-1 X-1").empty());    // project of 2-10 characters
  CHECK(tickets_in("TLS-1.2 CVE-2024-1234").empty());    // versions, longer identifiers
  CHECK(tickets_in("user@ENG-42 v1.ENG-42 x_ENG-42").empty());
}

TEST_CASE("names of standards and algorithms are not tickets") {
  const std::vector<std::string> technical{
      "UTF-8",   "UTF-16",  "SHA-256", "SHA-1",  "ISO-8601", "RFC-3339", "ISO-27001",
      "MD-5",    "TLS-1",   "HTTP-2",  "COVID-19", "IPV-6",  "AES-256",  "GPT-4",
      "PEP-8",   "ES-2015", "SOC-2",   "X86-64", "MPEG-4",   "WPA-2",    "HTTPS-1",
  };
  for (const auto& name : technical) {
    INFO(name);
    CHECK(tickets_in("we use " + name + " here").empty());
  }
}

TEST_CASE("configured prefixes are the only ones that count, and the deny-list no longer applies") {
  const ParseOptions options{.ticket_prefixes = {"ENG", "utf"}};
  CHECK(tickets_in("ENG-1 OPS-2 UTF-8 SHA-256", options) == Keys{"ENG-1", "UTF-8"});
  CHECK(find_tickets("", {"https://x.atlassian.net/browse/OPS-3"}, options).empty());
}

TEST_CASE("GitHub references are owner/repo#number, in lower case") {
  CHECK(tickets_in("see acme/web#9 and Acme/Web#9 and acme/web-app.v2#10") ==
        Keys{"acme/web#9", "acme/web-app.v2#10"});
  CHECK(tickets_in("#9 web#9 acme/#9 /web#9 acme/web#").empty());
}

TEST_CASE("issue links name their tickets") {
  const Keys links{
      "https://acme.atlassian.net/browse/ENG-42",
      "https://jira.example.org/jira/browse/OPS-7?focusedCommentId=1",
      "https://github.com/acme/web/pull/9",
      "https://github.com/acme/web/issues/10#issuecomment-1",
      "https://www.github.com/Acme/API/pull/11/files",
      "https://linear.app/acme/issue/ENG-51/fix-login",
      "http://linear.app/acme/issue/eng-52",
  };
  CHECK(find_tickets("", links, {}) == Keys{"ENG-42", "OPS-7", "acme/web#9", "acme/web#10",
                                            "acme/api#11", "ENG-51", "ENG-52"});
}

TEST_CASE("keys inside other URLs are not references") {
  const Keys links{
      "https://wiki.example.com/docs/ENG-42-notes",
      "https://github.com/acme/web/blob/main/ENG-42.md",
      "https://github.com/acme/web/pull/abc",
      "https://gitlab.com/acme/web/-/merge_requests/9",
      "https://linear.app/acme/project/ENG-42",
      "https://x.atlassian.net/browse/UTF-8",
      "ftp://x.atlassian.net/browse/ENG-42",
      "mailto:ENG-42@example.com",
  };
  CHECK(find_tickets("", links, {}).empty());
  CHECK(tickets_in("docs at https://wiki.example.com/ENG-42/overview").empty());
}

TEST_CASE("URLs in the text count in place, their paths are not prose") {
  CHECK(tickets_in("ENG-1 https://github.com/acme/web/pull/9 ENG-2 https://x.io/ENG-3") ==
        Keys{"ENG-1", "acme/web#9", "ENG-2"});
  CHECK(find_tickets("ENG-2 then ENG-1", {"https://x.atlassian.net/browse/ENG-1"}, {}) ==
        Keys{"ENG-2", "ENG-1"});
}

TEST_CASE("find_links lists http(s) URLs without trailing punctuation") {
  CHECK(find_links("a https://x.io/a, b (http://x.io/b). HTTPS://X.IO/C! https://x.io/a") ==
        Keys{"https://x.io/a", "http://x.io/b", "HTTPS://X.IO/C"});
  CHECK(find_links("https://en.wikipedia.org/wiki/Foo_(bar) and \"https://x.io/q?a=1&b=2\"") ==
        Keys{"https://en.wikipedia.org/wiki/Foo_(bar)", "https://x.io/q?a=1&b=2"});
  CHECK(find_links("ftp://x.io javascript:alert(1) xhttps://x.io https:// http").empty());
}

TEST_CASE("scanning is linear on hostile input") {
  std::string many_keys;
  for (int i = 0; i < 20'000; ++i) many_keys += "ENG-" + std::to_string(i) + " ";
  CHECK(tickets_in(many_keys).size() == 20'000);

  const std::vector<std::string> hostile{
      std::string(1'000'000, 'A'),           "ENG-" + std::string(1'000'000, '9'),
      std::string(1'000'000, '/'),           "a/" + std::string(1'000'000, 'b'),
  };
  for (const auto& text : hostile) CHECK(tickets_in(text).size() <= 1);

  std::string schemes;
  while (schemes.size() < 1'000'000) schemes += "http://";
  CHECK(find_links(schemes).size() == 1);
}

}  // namespace
}  // namespace microalign
