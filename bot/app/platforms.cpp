#include "microalign/app/platforms.hpp"

#include "microalign/app/outbox_sender.hpp"
#include "microalign/app/platform.hpp"

namespace microalign::app {

void Platforms::add(Platform& platform, OutboxSender& sender) { served_.push_back({&platform, &sender}); }

Platform* Platforms::find(std::string_view name) const {
  for (const auto& s : served_) {
    if (s.platform->name() == name) return s.platform;
  }
  return nullptr;
}

void Platforms::wake(std::string_view name) const {
  for (const auto& s : served_) {
    if (s.platform->name() == name) s.sender->wake();
  }
}

void Platforms::wake_all() const {
  for (const auto& s : served_) s.sender->wake();
}

std::vector<Platform*> Platforms::all() const {
  std::vector<Platform*> platforms;
  for (const auto& s : served_) platforms.push_back(s.platform);
  return platforms;
}

}  // namespace microalign::app
