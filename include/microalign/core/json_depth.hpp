// Guarding JSON parsers against attacker-chosen nesting: a body nested 100,000 deep must be
// refused before any parser (or destructor) recurses into it. Linear, no allocation.
#pragma once

#include <cstddef>
#include <string_view>

namespace microalign {

// Nesting deeper than this is refused wherever microalign reads JSON from the network: Slack's
// and Teams' payloads nest a dozen levels at most.
inline constexpr std::size_t max_json_depth = 64;

// True when no array or object in `text` nests deeper than `max_depth` (brackets inside strings,
// escaped quotes included, do not count). Says nothing else about whether `text` is valid JSON.
bool json_nesting_within(std::string_view text, std::size_t max_depth = max_json_depth);

}  // namespace microalign
