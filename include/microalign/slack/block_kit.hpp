// Rendering the platform-neutral Message as Block Kit JSON for chat.postMessage and responses.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "microalign/core/message.hpp"

namespace microalign::slack {

// {"text": fallback, "blocks": [...]} within Block Kit limits: ≤ 50 blocks (past that, the first
// 49 and a context block saying how many more were left out), ≤ 3000 characters a section or
// context text and ≤ 40000 for the escaped fallback (longer text is cut on a character boundary
// with "…"), ≤ 25 buttons an actions block, ≤ 75 characters a button label. Sections and
// contexts that render empty, and actions without buttons, are left out: Slack rejects them.
// Every string is valid UTF-8, so the JSON always serialises.
nlohmann::json to_block_kit(const Message&);

}  // namespace microalign::slack
