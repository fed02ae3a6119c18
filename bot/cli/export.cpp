#include <iostream>
#include <map>

#include "cli.hpp"
#include "microalign/core/export.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::cli {

namespace {

constexpr const char* help = R"(Usage: microalign export [--format jsonl|csv] [--channel C] [--since RFC3339]

Prints every stored update, oldest first, one per line, from the database in MICROALIGN_DB
(a SQLite file, default ./microalign.db, or a postgresql:// URI). Fields: id, created_at
(RFC 3339, UTC), team, channel, user, source (slash, mention), kind, state, tickets, links,
delay_days, text, platform (slack, teams).
In CSV, tickets and links are space-separated and a header line comes first.

Options:
  --format jsonl|csv   output format (default jsonl)
  --channel C          only updates from this channel id
  --since T            only updates created at or after T, e.g. 2026-11-01T00:00:00Z

Example:
  microalign export --format csv --channel C0123ABC --since 2026-11-01T00:00:00Z > updates.csv
)";

}  // namespace

int export_updates(const Args& args) {
  if (wants_help(args)) {
    std::cout << help;
    return 0;
  }
  ExportFormat format = ExportFormat::jsonl;
  storage::ExportFilter filter;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& option = args[i];
    if (option != "--format" && option != "--channel" && option != "--since") {
      return usage_error("unknown option '" + option + "'", "export");
    }
    if (i + 1 == args.size()) return usage_error(option + " needs a value", "export");
    const auto& value = args[++i];
    if (option == "--format") {
      if (value != "jsonl" && value != "csv") return usage_error("--format must be jsonl or csv", "export");
      format = value == "csv" ? ExportFormat::csv : ExportFormat::jsonl;
    } else if (option == "--channel") {
      filter.channel = value;
    } else {
      filter.since = parse_rfc3339(value);
      if (!filter.since) return usage_error("--since must be an RFC 3339 time such as 2026-11-01T00:00:00Z", "export");
    }
  }

  const int status = with_database("export", [&](storage::Store& store, storage::Transactions&, const Config&) {
    if (format == ExportFormat::csv) std::cout << csv_header() << "\n";
    // A workspace whose platform was never recorded holds what Slack said before Teams came.
    std::map<std::string, std::string> platform_of;
    for (const auto& update : store.updates(filter)) {
      auto [known, added] = platform_of.try_emplace(update.where.team);
      if (added) known->second = store.workspace_platform(update.where.team).value_or("slack");
      std::cout << export_line(update, known->second, format) << "\n";
    }
    return 0;
  });
  if (status != 0) return status;
  std::cout.flush();
  return std::cout ? 0 : 1;
}

}  // namespace microalign::cli
