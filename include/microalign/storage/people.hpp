// The names people go by, and which workspace a channel belongs to: small lookups for digests,
// timelines and the command line.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "microalign/core/model.hpp"

namespace microalign::storage {

// People's names and which workspace a channel is in.
class People {
 public:
  // Remembers (or renames) a person; inside a transaction, like every write.
  virtual void remember_name(const std::string& team, const std::string& user, const std::string& name, SysTime at) = 0;

  // user id → name, for everyone seen in the workspace under a name (not those only known by
  // their nudge settings, see nudges.hpp).
  virtual std::map<std::string, std::string> known_names(const std::string& team) = 0;

  // The workspace a channel's updates or settings belong to (the most recent), if any.
  virtual std::optional<std::string> team_of_channel(const std::string& channel) = 0;

 protected:
  ~People() = default;
};

}  // namespace microalign::storage
