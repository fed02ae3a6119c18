// Messages people answer with their buttons (the nudge DMs), kept as they now read once sent, so
// that each answer rewrites the message from its latest version: two answers in a row, or at
// once, never bring back buttons already answered.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "microalign/core/message.hpp"
#include "microalign/core/model.hpp"

namespace microalign::storage {

// A message as its platform names it.
struct MessageRef {
  std::string platform;
  std::string team;
  std::string conversation;  // Slack: the DM's channel id; Teams: the 1:1 conversation id
  std::string ref;           // Slack: the message's ts; Teams: the activity id
  bool operator==(const MessageRef&) const = default;
};

class InteractiveMessages {
 public:
  // Keeps the message as it now reads, replacing the version kept before.
  virtual void keep_interactive(const MessageRef&, const Message&, SysTime at) = 0;

  // The version kept last; nullopt when none is (never kept, or forgotten).
  virtual std::optional<Message> interactive_message(const MessageRef&) = 0;

  // Forgets messages last changed before `updated_before`, at most `limit` of them, and returns
  // how many (fewer than `limit`: none is left). An answer to such a message rewrites the
  // message as the platform showed it, when the platform says (Slack does).
  virtual std::size_t forget_interactive_messages(SysTime updated_before, std::size_t limit) = 0;

 protected:
  ~InteractiveMessages() = default;
};

}  // namespace microalign::storage
