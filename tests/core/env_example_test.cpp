// deploy/microalign.env.example names every variable the configuration reads, and nothing else
// (but the few OpenSSL reads itself), so the example cannot fall behind the code.
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "microalign/core/config.hpp"

using namespace microalign;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The names the example sets or shows commented out: "VARIABLE=…" or "#VARIABLE=…" lines.
std::set<std::string> example_variables() {
  std::set<std::string> names;
  std::istringstream lines(read_file(std::string(MICROALIGN_SOURCE_DIR) + "/deploy/microalign.env.example"));
  const std::regex assignment(R"(^#?([A-Za-z_][A-Za-z0-9_]*)=)");
  std::smatch match;
  for (std::string line; std::getline(lines, line);) {
    if (std::regex_search(line, match, assignment)) names.insert(match[1]);
  }
  return names;
}

// Every name the configuration asks the environment for, whatever it finds: asked with nothing
// set, with one platform half set, and with everything set.
std::set<std::string> variables_read() {
  std::set<std::string> asked;
  const auto recording = [&](std::map<std::string, std::string> values) -> Getenv {
    return [&asked, values](const std::string& name) -> std::optional<std::string> {
      asked.insert(name);
      const auto found = values.find(name);
      if (found == values.end()) return std::nullopt;
      return found->second;
    };
  };
  load_config_with_tokens(recording({}));
  load_config_with_tokens(recording({{"MicrosoftAppId", "app-id"}}));
  load_config_with_tokens(recording({{"SLACK_APP_TOKEN", "xapp-1-A111-222-abcdef0123"},
                                     {"SLACK_BOT_TOKEN", "xoxb-111-222-abcdefABCDEF"},
                                     {"MicrosoftAppId", "app-id"},
                                     {"MicrosoftAppPassword", "s3cret"},
                                     {"MicrosoftAppTenantId", "tenant-1"}}));
  return asked;
}

// The names config.cpp passes to env("…") literally: a read the scenarios above miss still counts.
std::set<std::string> variables_in_source() {
  std::set<std::string> names;
  const std::string source = read_file(std::string(MICROALIGN_SOURCE_DIR) + "/bot/core/config.cpp");
  const std::regex read(R"re(env\("([A-Za-z_][A-Za-z0-9_]*)"\))re");
  for (auto it = std::sregex_iterator(source.begin(), source.end(), read); it != std::sregex_iterator(); ++it)
    names.insert((*it)[1]);
  return names;
}

}  // namespace

TEST_CASE("the example env file names every variable the configuration reads", "[config][deploy]") {
  const auto example = example_variables();
  auto expected = variables_read();
  const auto in_source = variables_in_source();
  CHECK(in_source.size() >= 10);  // the pattern still finds them
  expected.insert(in_source.begin(), in_source.end());
  expected.insert({"SSL_CERT_FILE", "SSL_CERT_DIR"});  // read by OpenSSL, not by config.cpp
  CHECK(example == expected);
}
