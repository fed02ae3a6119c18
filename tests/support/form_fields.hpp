// Decoding what clients send in URLs and application/x-www-form-urlencoded bodies, for the fakes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace microalign::test {

// %XX decoded; '+' is a space only in forms (plus_is_space), not in a URL's path.
std::string percent_decode(std::string_view in, bool plus_is_space);

// "a=1&b=x+y" as {"a": "1", "b": "x y"}: every value a string, a field without '=' an empty one.
nlohmann::json form_fields(std::string_view form);

}  // namespace microalign::test
