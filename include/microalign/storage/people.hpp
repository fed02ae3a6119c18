// The names people go by, the platform each workspace is on, which workspace a channel belongs
// to, and each person's direct conversation with the bot: small lookups for digests, timelines,
// nudges and the command line.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "microalign/core/model.hpp"

namespace microalign::storage {

class People {
 public:
  // Remembers (or renames) a person; inside a transaction, like every write.
  virtual void remember_name(const std::string& team, const std::string& user, const std::string& name, SysTime at) = 0;

  // user id → name, for everyone seen in the workspace under a name (not those only known by
  // their nudge settings, see nudges.hpp).
  virtual std::map<std::string, std::string> known_names(const std::string& team) = 0;

  // The workspace a channel's updates or settings belong to (the most recent), if any.
  virtual std::optional<std::string> team_of_channel(const std::string& channel) = 0;

  // The platform ("slack", "teams", "sandbox") whose workspace `team` is: recorded by whatever
  // stores something the workspace said, read by what the bot does on its own (digests, nudges).
  virtual void remember_workspace(const std::string& team, const std::string& platform) = 0;
  virtual std::optional<std::string> workspace_platform(const std::string& team) = 0;

  // The person's direct conversation with the bot, once the platform opened it: a DM channel
  // on Slack, a 1:1 conversation on Teams (which asks bots to keep it rather than create it again).
  virtual void remember_direct_conversation(const std::string& platform, const std::string& team,
                                            const std::string& user, const std::string& conversation,
                                            SysTime at) = 0;
  virtual std::optional<std::string> direct_conversation(const std::string& platform, const std::string& team,
                                                         const std::string& user) = 0;

 protected:
  ~People() = default;
};

}  // namespace microalign::storage
