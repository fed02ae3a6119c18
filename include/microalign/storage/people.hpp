// The names people go by, and which workspace a channel belongs to: small lookups for digests,
// timelines and the command line.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "microalign/storage/store.hpp"

namespace microalign::storage {

// Remembers (or renames) a person; inside a transaction, like every write.
void remember_name(Store&, const std::string& team, const std::string& user, const std::string& name, SysTime at);

// user id → name, for everyone seen in the workspace under a name (not those only known by
// their nudge settings, see nudges.hpp).
std::map<std::string, std::string> known_names(Store&, const std::string& team);

// The workspace a channel's updates or settings belong to (the most recent), if any.
std::optional<std::string> team_of_channel(Store&, const std::string& channel);

}  // namespace microalign::storage
