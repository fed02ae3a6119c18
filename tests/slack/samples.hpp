// Slack's own frames, from tests/data/slack-samples (copied from Slack's SDKs).
#pragma once

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

namespace microalign::test {

// The text of a whole Socket Mode frame, e.g. envelope_sample("hello.json").
inline std::string envelope_sample(const std::string& name) {
  std::ifstream in(std::string(MICROALIGN_SAMPLES_DIR) + "/envelopes/" + name);
  REQUIRE(in);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace microalign::test
