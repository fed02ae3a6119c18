// The platforms this process serves, by name, each with the sender of its outbox.
#pragma once

#include <string_view>
#include <vector>

namespace microalign::app {

class OutboxSender;
class Platform;

class Platforms {
 public:
  void add(Platform&, OutboxSender&);
  Platform* find(std::string_view name) const;  // nullptr: not served here
  // Something was queued for the platform: its sender looks now rather than at its next poll.
  void wake(std::string_view name) const;
  void wake_all() const;
  std::vector<Platform*> all() const;

 private:
  struct Served {
    Platform* platform;
    OutboxSender* sender;
  };
  std::vector<Served> served_;
};

}  // namespace microalign::app
