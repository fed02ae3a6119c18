#include "microalign/core/export.hpp"

#include <cctype>

#include <nlohmann/json.hpp>
#include <sstream>

#include <date/date.h>

namespace microalign {
namespace {

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

// RFC 4180 quoting. A cell that a spreadsheet would run as a formula (=, +, -, @ first) is
// prefixed with an apostrophe: exports get opened in spreadsheets, and update text is
// written by anyone in the workspace.
std::string csv_cell(std::string_view value) {
  std::string cell(value);
  if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos) {
    cell.insert(cell.begin(), '\'');
  }
  if (cell.find_first_of(",\"\n\r") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

nlohmann::json to_json(const Update& u, std::string_view platform) {
  nlohmann::json line{
      {"id", u.id},
      {"created_at", format_rfc3339(u.created_at)},
      {"platform", platform},
      {"team", u.where.team},
      {"channel", u.where.channel},
      {"user", u.user},
      {"source", to_string(u.source)},
  };
  line.update(parsed_json(u.parsed));
  return line;
}

// Text for one line of markdown: line breaks become spaces, and a leading '#' cannot make a heading.
std::string on_one_line(std::string_view text) {
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\r') ? ' ' : c;
  return out.empty() ? "—" : out;
}

}  // namespace

std::string decisions_markdown(const std::vector<Decision>& decisions,
                               const std::map<std::string, std::string>& names) {
  std::string out = "# Decision log\n";
  for (const auto& d : decisions) {
    const auto& p = d.parsed;
    const auto name = names.find(d.owner);
    const auto owner = name == names.end() || name->second.empty() ? d.owner : name->second;
    out += "\n## " + date::format("%F", std::chrono::floor<date::days>(d.created_at)) + " — " + on_one_line(p.title) +
           "\n\n";
    out += "- **ID:** " + decision_label(d.id) + "\n";
    out += "- **Owner:** " + on_one_line(owner) + "\n";
    out += "- **Decision:** " + on_one_line(p.decision) + "\n";
    out += "- **Rationale:** " + on_one_line(p.rationale) + "\n";
    out += "- **Impact:** " + on_one_line(p.impact) + "\n";
    out += "- **Tickets:** " + on_one_line(join(p.tickets, ", ")) + "\n";
    if (!p.links.empty()) out += "- **Links:** " + join(p.links, " ") + "\n";
    if (p.supersedes) out += "- **Supersedes:** " + decision_label(*p.supersedes) + "\n";
    if (d.superseded_by) out += "- **Superseded by:** " + decision_label(*d.superseded_by) + "\n";
  }
  return out;
}

nlohmann::json parsed_json(const ParsedUpdate& p) {
  return {
      {"kind", to_string(p.kind)},
      {"state", p.state ? nlohmann::json(to_string(*p.state)) : nlohmann::json(nullptr)},
      {"tickets", p.tickets},
      {"links", p.links},
      {"delay_days", p.delay_days ? nlohmann::json(*p.delay_days) : nlohmann::json(nullptr)},
      {"text", p.text},
  };
}

std::string csv_header() {
  return "id,created_at,team,channel,user,source,kind,state,tickets,links,delay_days,text,platform";
}

std::string export_line(const Update& u, std::string_view platform, ExportFormat format) {
  if (format == ExportFormat::jsonl) {
    // Invalid UTF-8 cannot reach the store (it is replaced on the way in), but an export must
    // never abort half-way, so replace rather than throw.
    return to_json(u, platform).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  const auto& p = u.parsed;
  std::vector<std::string> cells{
      std::to_string(u.id),
      format_rfc3339(u.created_at),
      u.where.team,
      u.where.channel,
      u.user,
      std::string(to_string(u.source)),
      std::string(to_string(p.kind)),
      p.state ? std::string(to_string(*p.state)) : "",
      join(p.tickets, " "),
      join(p.links, " "),
      p.delay_days ? std::to_string(*p.delay_days) : "",
      p.text,
      std::string(platform),  // last: the columns before it keep their places from earlier versions
  };
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += ',';
    line += csv_cell(cells[i]);
  }
  return line;
}

std::string format_rfc3339(SysTime t) {
  return date::format("%FT%TZ", std::chrono::floor<std::chrono::seconds>(t));
}

namespace {

// Whether `text` is laid out as YYYY-MM-DD, optionally followed by THH:MM:SS, a fraction of up to
// nine digits, and Z or an offset (±HH:MM, ±HHMM). The date library's parser must only see such
// text: given "11247:17.226" for the time it computed NaN seconds and converted them to an
// integer, which is undefined (found by tracker_webhook_fuzz).
bool rfc3339_shaped(std::string_view text) {
  std::size_t at = 0;
  const auto digits = [&](std::size_t n) {
    for (std::size_t i = 0; i < n; ++i, ++at) {
      if (at >= text.size() || !std::isdigit(static_cast<unsigned char>(text[at]))) return false;
    }
    return true;
  };
  const auto sign = [&](std::string_view allowed) {
    if (at >= text.size() || allowed.find(text[at]) == std::string_view::npos) return false;
    ++at;
    return true;
  };
  if (!(digits(4) && sign("-") && digits(2) && sign("-") && digits(2))) return false;
  if (at == text.size()) return true;
  if (!(sign("T") && digits(2) && sign(":") && digits(2) && sign(":") && digits(2))) return false;
  if (at < text.size() && text[at] == '.') {
    const auto start = ++at;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
    if (at == start || at - start > 9) return false;
  }
  if (sign("Z")) return at == text.size();
  if (!(sign("+-") && digits(2))) return false;
  if (at < text.size() && text[at] == ':') ++at;
  return digits(2) && at == text.size();
}

}  // namespace

std::optional<SysTime> parse_rfc3339(std::string_view text) {
  if (!rfc3339_shaped(text)) return std::nullopt;
  const std::string input(text);
  for (const char* format : {"%FT%T%Ez", "%FT%TZ", "%FT%T%z", "%F"}) {
    std::istringstream in(input);
    date::sys_time<std::chrono::milliseconds> t;
    in >> date::parse(format, t);
    if (!in.fail() && in.peek() == std::char_traits<char>::eof()) return t;
  }
  return std::nullopt;
}

}  // namespace microalign
