// How people type microalign's commands where they are, for every answer that shows one. Slack
// has slash commands (`/status ENG-42 on track`, `/microalign away 3d`); where there are none
// (Teams), people write to the bot instead (`@microalign status ENG-42 on track`). Core texts
// name commands by their words ("status ENG-42 on track", "away 3d") and spell them with this.
#pragma once

#include <string>
#include <string_view>

namespace microalign {

struct CommandSpelling {
  std::string updates;      // before `status …` and `heads-up …`: "/" on Slack
  std::string settings;     // before every other command: "/microalign " on Slack
  std::string add_the_bot;  // how to bring the bot into a channel: "/invite @microalign"

  // The command `words` as typed here: "status ENG-42 on track" → "/status ENG-42 on track".
  std::string spell(std::string_view words) const;
  // The same in code style, for answers: "`/microalign away 3d`".
  std::string code(std::string_view words) const;
};

// Slack's: slash commands, and `/invite @<bot_name>`.
CommandSpelling slash_commands(std::string_view bot_name = "microalign");

}  // namespace microalign
