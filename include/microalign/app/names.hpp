// The names people go by, as the running bot learned them (from commands, and from looking
// people up): digests, nudges and echoes name people, never ping them. The store keeps the names
// people posted under; these are the newer ones.
#pragma once

#include <map>
#include <string>

namespace microalign::app {

class Names {
 public:
  void remember(const std::string& user, const std::string& name);
  const std::string* find(const std::string& user) const;  // nullptr when not learned
  // Everything learned, user id → name: to lay over the names the store knows.
  const std::map<std::string, std::string>& all() const { return names_; }

 private:
  std::map<std::string, std::string> names_;
};

}  // namespace microalign::app
