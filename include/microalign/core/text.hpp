// Small text helpers shared by everything that writes lines for people to read.
#pragma once

#include <string>
#include <string_view>

namespace microalign {

// A note fit for one line: whitespace runs (line breaks included) become one space, and past
// `max_chars` characters the text is cut before a character, never inside one, and ends in "…".
std::string shortened(std::string_view text, std::size_t max_chars);

// "1 day", "3 days": a count with its noun.
std::string count_of(long long n, std::string_view one, std::string_view many);

// ASCII-only case changes: keywords, URL schemes and ticket keys are ASCII, and other
// characters pass through untouched.
std::string lower_case(std::string_view text);
std::string upper_case(std::string_view text);

}  // namespace microalign
