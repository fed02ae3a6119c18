#include "microalign/app/names.hpp"

namespace microalign::app {

void Names::remember(const std::string& team, const std::string& user, const std::string& name) {
  if (!name.empty()) names_[team][user] = name;
}

const std::string* Names::find(const std::string& team, const std::string& user) const {
  const auto in_team = names_.find(team);
  if (in_team == names_.end()) return nullptr;
  const auto it = in_team->second.find(user);
  return it == in_team->second.end() ? nullptr : &it->second;
}

}  // namespace microalign::app
