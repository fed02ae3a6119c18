// The trackers' HMAC-SHA256 signatures: GitHub's published example, and every way a signature
// header can be wrong, for each tracker, through the one entry point.
#include <catch2/catch.hpp>

#include "deliveries.hpp"
#include "microalign/trackers/signature.hpp"

using namespace microalign;
using namespace microalign::test;
using namespace microalign::trackers;
using Verdict = WebhookOutcome::Verdict;

TEST_CASE("GitHub's example signature: Hello, World! under It's a Secret to Everybody", "[trackers][signature]") {
  // docs.github.com, "Validating webhook deliveries", "Testing the webhook payload validation".
  const auto expected = "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
  CHECK(hmac_sha256_hex(tracker_secret, "Hello, World!") == expected);
  CHECK(check_signature(tracker_secret, "Hello, World!", std::string("sha256=") + expected, "sha256=") ==
        SignatureCheck::valid);
}

TEST_CASE("the comparison is CRYPTO_memcmp over equal lengths: no early exit to time", "[trackers][signature]") {
  CHECK(same_bytes_in_constant_time("abc", "abc"));
  CHECK_FALSE(same_bytes_in_constant_time("abc", "abd"));
  CHECK_FALSE(same_bytes_in_constant_time("xbc", "abc"));
  CHECK_FALSE(same_bytes_in_constant_time("abc", "abcd"));
  CHECK(same_bytes_in_constant_time("", ""));
}

TEST_CASE("a signature header in upper-case hex is the same signature", "[trackers][signature]") {
  const auto upper = "757107EA0EB2509FC211221CCE984B8A37570B6D7586C22C46F4379C8B043E17";
  CHECK(check_signature(tracker_secret, "Hello, World!", std::string("sha256=") + upper, "sha256=") ==
        SignatureCheck::valid);
}

TEST_CASE("SHA-256 of a body names a delivery that came without an id", "[trackers][signature]") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

namespace {

struct Signed {
  std::string name;
  WebhookRequest request;
  std::string header;  // the signature header's lower-case name
  std::string prefix;
};

std::vector<Signed> one_delivery_of_each_tracker() {
  return {
      {"GitHub", github_delivery("issues", tracker_payload("github/issues_opened.json")), "x-hub-signature-256",
       "sha256="},
      {"Jira", jira_delivery(tracker_payload("jira/cloud_issue_created.json")), "x-hub-signature", "sha256="},
      {"Linear", linear_delivery("linear/issue_create.json"), "linear-signature", ""},
  };
}

void check_refused(const WebhookRequest& request, std::string_view secret, std::string_view why_contains) {
  const auto outcome = receive_webhook(request, secret, received, {});
  INFO(outcome.why);
  CHECK(outcome.verdict == Verdict::unauthorized);
  CHECK_FALSE(outcome.activity);
  CHECK_THAT(outcome.why, Catch::Contains(std::string(why_contains)));
  if (!secret.empty()) CHECK_THAT(outcome.why, !Catch::Contains(std::string(secret)));
}

}  // namespace

TEST_CASE("each tracker's delivery, signed its way, is accepted", "[trackers][signature]") {
  for (const auto& d : one_delivery_of_each_tracker()) {
    INFO(d.name);
    CHECK(receive(d.request).verdict == Verdict::activity);
  }
}

TEST_CASE("every signature failure is 401 with the header named, for each tracker", "[trackers][signature]") {
  for (const auto& d : one_delivery_of_each_tracker()) {
    INFO(d.name);
    const auto good = d.request.headers.at(d.header);
    const auto hex = good.substr(d.prefix.size());

    SECTION("no secret configured") { check_refused(d.request, "", "no webhook secret is configured"); }
    SECTION("the wrong secret") { check_refused(d.request, "not the secret", "does not match the body"); }
    SECTION("no signature header") {
      auto r = d.request;
      r.headers.erase(d.header);
      check_refused(r, tracker_secret, "missing");
    }
    SECTION("an empty signature header") {
      auto r = d.request;
      r.headers[d.header] = "";
      check_refused(r, tracker_secret, "missing");
    }
    SECTION("the wrong prefix") {
      auto r = d.request;
      r.headers[d.header] = (d.prefix.empty() ? "sha256=" : "sha1=") + hex;
      check_refused(r, tracker_secret, "is not " + d.prefix + "<64 hex digits>");
    }
    SECTION("not hex") {
      auto r = d.request;
      r.headers[d.header] = d.prefix + std::string(64, 'z');
      check_refused(r, tracker_secret, "<64 hex digits>");
    }
    SECTION("one digit short") {
      auto r = d.request;
      r.headers[d.header] = d.prefix + hex.substr(1);
      check_refused(r, tracker_secret, "<64 hex digits>");
    }
    SECTION("one digit long") {
      auto r = d.request;
      r.headers[d.header] = d.prefix + hex + "0";
      check_refused(r, tracker_secret, "<64 hex digits>");
    }
    SECTION("one digit wrong") {
      auto r = d.request;
      r.headers[d.header] = d.prefix + hex.substr(0, 63) + (hex.back() == '0' ? "1" : "0");
      check_refused(r, tracker_secret, "does not match the body");
    }
    SECTION("the body changed by one byte") {
      auto r = d.request;
      r.body[r.body.size() / 2] ^= 0x01;
      check_refused(r, tracker_secret, "does not match the body");
    }
    SECTION("the body cut short") {
      auto r = d.request;
      r.body.pop_back();
      check_refused(r, tracker_secret, "does not match the body");
    }
    SECTION("another tracker's header is not this tracker's") {
      auto r = d.request;
      const auto value = r.headers.at(d.header);
      r.headers.erase(d.header);
      r.headers[d.header == "x-hub-signature" ? "x-hub-signature-256" : "x-hub-signature"] = value;
      check_refused(r, tracker_secret, "missing");
    }
  }
}

TEST_CASE("a body that is not JSON is refused as unsigned before it is read", "[trackers][signature]") {
  // The signature is checked first: garbage with a wrong signature is a 401, not a 400.
  auto r = github_delivery("issues", "{not json");
  r.headers["x-hub-signature-256"] = "sha256=" + std::string(64, '0');
  CHECK(receive(r).verdict == Verdict::unauthorized);
}
