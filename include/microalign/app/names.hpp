// The names people go by, as the running bot learned them (from commands, and from looking
// people up): digests, nudges and echoes name people, never ping them. The store keeps the names
// people posted under; these are the newer ones. A user id is only unique within its workspace,
// so each name is learned for a workspace.
#pragma once

#include <map>
#include <string>

namespace microalign::app {

class Names {
 public:
  // user id → name, for one workspace
  using ByUser = std::map<std::string, std::string>;

  void remember(const std::string& team, const std::string& user, const std::string& name);
  const std::string* find(const std::string& team, const std::string& user) const;  // nullptr when not learned
  // Everything learned, team → user id → name: to lay over the names the store knows.
  const std::map<std::string, ByUser>& all() const { return names_; }

 private:
  std::map<std::string, ByUser> names_;
};

}  // namespace microalign::app
