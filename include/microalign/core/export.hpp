// Formatting stored updates for `microalign export`: JSON Lines or CSV, one update per line.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "microalign/core/decision.hpp"
#include "microalign/core/model.hpp"

namespace microalign {

enum class ExportFormat { jsonl, csv };

// What the parser made of an update, as `microalign parse` prints it and exports embed it:
// kind, state (or null), tickets, links, delay_days (or null), text.
nlohmann::json parsed_json(const ParsedUpdate&);

std::string csv_header();
// `platform` is where the update was posted ("slack", "teams"). No trailing newline.
std::string export_line(const Update&, std::string_view platform, ExportFormat);

// The decision log as the alignment playbooks' template, for `microalign export --decisions
// --format markdown`: a title, then one `## YYYY-MM-DD — title` entry per decision (oldest first,
// dates in UTC) with its Owner (named by `names`, else by id), Decision, Rationale, Impact and
// Tickets ("—" when none), and which decision it supersedes or is superseded by. People's text is
// kept on its line: a line break in it cannot start a heading of its own.
std::string decisions_markdown(const std::vector<Decision>&, const std::map<std::string, std::string>& names);

std::string format_rfc3339(SysTime);               // "2026-11-23T16:36:34Z" (UTC, whole seconds)
std::optional<SysTime> parse_rfc3339(std::string_view);  // accepts Z or ±hh:mm offsets, fractions

}  // namespace microalign
