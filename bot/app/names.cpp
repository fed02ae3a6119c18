#include "microalign/app/names.hpp"

namespace microalign::app {

void Names::remember(const std::string& user, const std::string& name) {
  if (!name.empty()) names_[user] = name;
}

const std::string* Names::find(const std::string& user) const {
  const auto it = names_.find(user);
  return it == names_.end() ? nullptr : &it->second;
}

}  // namespace microalign::app
