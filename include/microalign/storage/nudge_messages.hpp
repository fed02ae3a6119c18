// The nudge DMs' current blocks (see migrations/005_nudge_messages.sql): what a DM says now, so
// that each answer rewrites it from the latest version rather than from what a click carried.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "microalign/core/model.hpp"

namespace microalign::storage {

struct MessageRef {
  std::string team;
  std::string channel;
  std::string ts;
};

// The nudge DMs' current blocks.
class NudgeMessages {
 public:
  // Inside a transaction, like every write.
  virtual void remember_nudge_message(const MessageRef&, const std::string& blocks_json, SysTime at) = 0;

  virtual std::optional<std::string> nudge_message_blocks(const MessageRef&) = 0;

  // Forgets the blocks of DMs last changed before `updated_before`, at most `limit` of them, and
  // returns how many (fewer than `limit`: none is left). A click on such a DM rewrites the blocks
  // Slack sends with the click instead, which are the DM as it is shown.
  virtual std::size_t forget_nudge_messages(SysTime updated_before, std::size_t limit) = 0;

 protected:
  ~NudgeMessages() = default;
};

}  // namespace microalign::storage
