// The environment `microalign run` is started with against the fake Slack, for the tests that
// drive the real binary (process.hpp) rather than the in-process harness.
#pragma once

#include <filesystem>

#include "fake_slack.hpp"
#include "process.hpp"

namespace microalign::test {

inline Process::Environment bot_environment(const FakeSlack& slack, const TestPki& pki,
                                            const std::filesystem::path& db) {
  return {{"SLACK_APP_TOKEN", FakeSlack::Options{}.app_token},
          {"SLACK_BOT_TOKEN", FakeSlack::Options{}.bot_token},
          {"SLACK_API_URL", slack.api_url()},
          {"MICROALIGN_DB", db.string()},
          {"MICROALIGN_HTTP_ADDR", "127.0.0.1:0"},  // any free port: tests run side by side
          {"MICROALIGN_LOG", "debug"},
          {"SSL_CERT_FILE", pki.ca_file().string()}};
}

}  // namespace microalign::test
