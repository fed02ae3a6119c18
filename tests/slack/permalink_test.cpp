#include <catch2/catch.hpp>

#include "microalign/slack/permalink.hpp"

using microalign::slack::permalink;

TEST_CASE("permalinks point at a message, or at a reply within its thread", "[permalink]") {
  CHECK(permalink("https://acme.slack.com/", "C123", "1700000000.000100") ==
        "https://acme.slack.com/archives/C123/p1700000000000100");
  CHECK(permalink("https://acme.slack.com", "C123", "1700000001.000200", "1700000000.000100") ==
        "https://acme.slack.com/archives/C123/p1700000001000200?thread_ts=1700000000.000100&cid=C123");
  CHECK(permalink("https://acme.slack.com/", "C123", "1700000000.000100", "1700000000.000100") ==
        "https://acme.slack.com/archives/C123/p1700000000000100");
  CHECK(permalink("", "C123", "1.2").empty());
  CHECK(permalink("https://acme.slack.com/", "C123", "").empty());
}

TEST_CASE("an update's link goes to its echo, or to its mention's thread", "[permalink]") {
  microalign::Update slash;
  slash.where = {"T1", "C1", ""};
  slash.echo_ref = "1700000000.000100";
  CHECK(microalign::slack::update_permalink("https://acme.slack.com/", slash) ==
        "https://acme.slack.com/archives/C1/p1700000000000100");
  microalign::Update mention;
  mention.where = {"T1", "C1", ""};
  mention.source = microalign::UpdateSource::mention;
  mention.source_ref = "1700000000.000100";
  mention.echo_ref = "1700000001.000200";
  CHECK(microalign::slack::update_permalink("https://acme.slack.com/", mention) ==
        "https://acme.slack.com/archives/C1/p1700000001000200?thread_ts=1700000000.000100&cid=C1");
  CHECK(microalign::slack::update_permalink("", mention).empty());
}
