// Formatting stored updates for `microalign export`: JSON Lines or CSV, one update per line.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "microalign/core/model.hpp"

namespace microalign {

enum class ExportFormat { jsonl, csv };

// What the parser made of an update, as `microalign parse` prints it and exports embed it:
// kind, state (or null), tickets, links, delay_days (or null), text.
nlohmann::json parsed_json(const ParsedUpdate&);

std::string csv_header();
// `platform` is where the update was posted ("slack", "teams"). No trailing newline.
std::string export_line(const Update&, std::string_view platform, ExportFormat);

std::string format_rfc3339(SysTime);               // "2026-11-23T16:36:34Z" (UTC, whole seconds)
std::optional<SysTime> parse_rfc3339(std::string_view);  // accepts Z or ±hh:mm offsets, fractions

}  // namespace microalign
