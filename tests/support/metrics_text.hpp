// Reading Prometheus' text format in tests: the value of one series, as a scrape shows it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace microalign::test {

// The value of `series` — a name, or a name with its labels exactly as rendered
// (`microalign_outbox_sends_total{platform="slack",outcome="sent"}`) — in the exposition `text`;
// nullopt when it is not there.
inline std::optional<double> sample(std::string_view text, std::string_view series) {
  std::size_t at = 0;
  while (at < text.size()) {
    auto end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    const auto line = text.substr(at, end - at);
    if (line.size() > series.size() && line.starts_with(series) && line[series.size()] == ' ') {
      return std::stod(std::string(line.substr(series.size() + 1)));
    }
    at = end + 1;
  }
  return std::nullopt;
}

}  // namespace microalign::test
