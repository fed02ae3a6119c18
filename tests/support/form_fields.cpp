#include "form_fields.hpp"

#include <charconv>

namespace microalign::test {

std::string percent_decode(std::string_view in, bool plus_is_space) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    unsigned byte = 0;
    if (plus_is_space && in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%' && i + 2 < in.size() &&
               std::from_chars(in.data() + i + 1, in.data() + i + 3, byte, 16).ptr == in.data() + i + 3) {
      out += static_cast<char>(byte);
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

nlohmann::json form_fields(std::string_view form) {
  nlohmann::json fields = nlohmann::json::object();
  while (!form.empty()) {
    const auto end = form.find('&');
    const std::string_view field = form.substr(0, end);
    if (!field.empty()) {
      const auto eq = field.find('=');
      fields[percent_decode(field.substr(0, eq), true)] =
          eq == std::string_view::npos ? "" : percent_decode(field.substr(eq + 1), true);
    }
    form = end == std::string_view::npos ? std::string_view{} : form.substr(end + 1);
  }
  return fields;
}

}  // namespace microalign::test
