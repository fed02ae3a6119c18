// The Teams app package in deploy/teams: a manifest Teams can read, with its two icons, offering
// only commands microalign understands.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "microalign/core/channel_command.hpp"
#include "microalign/core/parse.hpp"

namespace {

const std::filesystem::path package = std::filesystem::path(MICROALIGN_SOURCE_DIR) / "deploy" / "teams";

}  // namespace

TEST_CASE("the Teams manifest offers commands microalign understands, with its icons", "[teams][manifest]") {
  std::ifstream in(package / "manifest.json");
  REQUIRE(in);
  const auto manifest = nlohmann::json::parse(in);
  CHECK(manifest["manifestVersion"] == "1.17");
  CHECK(std::filesystem::exists(package / manifest["icons"]["color"].get<std::string>()));
  CHECK(std::filesystem::exists(package / manifest["icons"]["outline"].get<std::string>()));
  const auto& bot = manifest["bots"].at(0);
  CHECK(bot["botId"] == manifest["id"]);  // both are the bot's MicrosoftAppId, filled in when packaging
  for (const auto& command : bot["commandLists"].at(0)["commands"]) {
    const auto title = command["title"].get<std::string>();
    INFO(title);
    CHECK((microalign::command_from_string(title) || microalign::channel_command::is_keyword(title)));
    CHECK(command["description"].get<std::string>().size() <= 128);
  }
}
