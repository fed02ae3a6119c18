// JSON from outside the process, read one way wherever it comes in: Slack's frames and Web API
// replies, Teams' activities and connector replies, Microsoft's token and key documents, the
// sandbox's page, and what comes back to us through them (a form's private metadata).
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace microalign {

struct OutsideJson {
  nlohmann::json value;   // discarded (is_discarded()) when refused
  bool too_deep = false;  // refused for nesting deeper than max_json_depth, before parsing
};

// Parses `text` without exceptions, after refusing nesting deeper than max_json_depth (copying,
// comparing or dumping a value recurses once per level). A lone UTF-16 surrogate escape
// ("\ud800", which JavaScript's JSON.stringify writes for half an emoji) reads as U+FFFD: the
// parser refuses the whole document for one, and a person's message would be lost with it.
OutsideJson read_outside_json(std::string_view text);

}  // namespace microalign
