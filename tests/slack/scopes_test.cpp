// The bot scopes `microalign doctor` expects are the ones the manifest asks for: one list in the
// code, compared here with deploy/slack-manifest.yml so the two cannot drift apart.
#include <catch2/catch.hpp>
#include <fstream>
#include <set>
#include <string>

#include "microalign/slack/scopes.hpp"

namespace {

std::size_t indent_of(const std::string& line) { return line.find_first_not_of(' '); }

// The items of the manifest's oauth_config.scopes.bot list ("- chat:write  # why" → "chat:write").
// Enough YAML for this file: block lists, two-space indents, comments after the item.
std::multiset<std::string> manifest_bot_scopes(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  std::multiset<std::string> scopes;
  std::string line;
  std::string parents[3] = {"oauth_config:", "scopes:", "bot:"};
  std::size_t found = 0, bot_indent = 0;
  while (std::getline(in, line)) {
    const auto indent = indent_of(line);
    if (indent == std::string::npos || line[indent] == '#') continue;
    const std::string text = line.substr(indent, line.find_last_not_of(' ') + 1 - indent);
    if (found < 3) {
      if (text == parents[found]) bot_indent = indent, ++found;
      continue;
    }
    if (indent <= bot_indent) break;
    REQUIRE(text.starts_with("- "));
    const std::string item =
        text.substr(2, text.find('#') == std::string::npos ? std::string::npos : text.find('#') - 2);
    scopes.insert(item.substr(0, item.find_last_not_of(' ') + 1));
  }
  REQUIRE(found == 3);
  return scopes;
}

}  // namespace

TEST_CASE("the bot scopes in the code are the ones deploy/slack-manifest.yml asks for", "[scopes][doctor]") {
  const auto manifest = manifest_bot_scopes(std::string(MICROALIGN_SOURCE_DIR) + "/deploy/slack-manifest.yml");
  const std::multiset<std::string> code(microalign::slack::required_bot_scopes.begin(),
                                        microalign::slack::required_bot_scopes.end());
  CHECK(manifest == code);
  CHECK(std::set<std::string>(code.begin(), code.end()).size() == code.size());
}
