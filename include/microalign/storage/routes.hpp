// Where a platform reaches its conversations. Teams answers each conversation at the service URL
// its activities come from — and only there: an address never seen in a validated activity is
// never posted to. The platform's adapter records the address of every conversation it hears
// from, and reads it back when it sends.
#pragma once

#include <optional>
#include <string>

#include "microalign/core/model.hpp"

namespace microalign::storage {

class Routes {
 public:
  // Records (or moves) the conversation's address. Inside a transaction, like every write.
  virtual void remember_route(const std::string& platform, const std::string& team, const std::string& conversation,
                              const std::string& address, SysTime at) = 0;

  // The conversation's address; for a conversation not heard from (a person's 1:1 chat the bot
  // is about to create), the address its team was last heard at. nullopt when neither is known.
  virtual std::optional<std::string> route(const std::string& platform, const std::string& team,
                                           const std::string& conversation) = 0;

 protected:
  ~Routes() = default;
};

}  // namespace microalign::storage
