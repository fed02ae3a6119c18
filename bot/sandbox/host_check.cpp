#include "microalign/sandbox/host_check.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <cctype>
#include <string>

namespace microalign::sandbox {
namespace {

bool is_address(const std::string& text, int family) {
  unsigned char parsed[16];
  return inet_pton(family, text.c_str(), parsed) == 1;
}

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

}  // namespace

bool host_allowed(std::string_view host_header) {
  if (host_header.empty()) return true;
  std::string_view name = host_header;
  if (name.front() == '[') {  // [v6 address] or [v6 address]:port
    const auto close = name.find(']');
    if (close == std::string_view::npos) return false;
    const auto rest = name.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || !all_digits(rest.substr(1)))) return false;
    return is_address(std::string(name.substr(1, close - 1)), AF_INET6);
  }
  if (const auto colon = name.rfind(':'); colon != std::string_view::npos) {
    if (!all_digits(name.substr(colon + 1))) return false;
    name = name.substr(0, colon);
  }
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower.ends_with('.')) lower.pop_back();  // the fully qualified spelling, "localhost."
  if (lower == "localhost" || lower.ends_with(".localhost")) return true;
  return is_address(lower, AF_INET);
}

}  // namespace microalign::sandbox
