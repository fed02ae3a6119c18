#include <iostream>
#include <map>
#include <utility>

#include "cli.hpp"
#include "microalign/core/export.hpp"
#include "microalign/storage/store.hpp"

namespace microalign::cli {

namespace {

constexpr const char* help = R"(Usage: microalign export [--format jsonl|csv] [--channel C] [--since RFC3339]
       microalign export --decisions [--format markdown] [--channel C] [--since RFC3339]

Prints every stored update, oldest first, one per line, from the database in MICROALIGN_DB
(a SQLite file, default ./microalign.db, or a postgresql:// URI). Fields: id, created_at
(RFC 3339, UTC), team, channel, user, source (slash, mention), kind, state, tickets, links,
delay_days, text, platform (slack, teams).
In CSV, tickets and links are space-separated and a header line comes first.

With --decisions, prints the decision log instead (/decision), oldest first, as markdown: one
"## YYYY-MM-DD — title" entry per decision (UTC dates) with its ID (D12), Owner, Decision,
Rationale, Impact, Tickets, and which decision it supersedes or is superseded by.

Options:
  --decisions          the decision log rather than the updates
  --format F           jsonl or csv for updates (default jsonl); markdown for decisions (the default)
  --channel C          only updates from this channel id
  --since T            only updates created at or after T, e.g. 2026-11-01T00:00:00Z

Example:
  microalign export --format csv --channel C0123ABC --since 2026-11-01T00:00:00Z > updates.csv
  microalign export --decisions --format markdown > decisions.md
)";

// The decision log as markdown, with each owner named as their workspace knows them.
int export_decisions(const storage::ExportFilter& filter) {
  const int status = with_database("export", [&](storage::Store& store, storage::Transactions&, const Config&) {
    const auto decisions = store.decisions(filter);
    std::map<std::string, std::string> names;
    std::map<std::string, bool> team_read;
    for (const auto& d : decisions) {
      if (std::exchange(team_read[d.where.team], true)) continue;
      for (auto& [user, name] : store.known_names(d.where.team)) names.emplace(user, std::move(name));
    }
    std::cout << decisions_markdown(decisions, names);
    return 0;
  });
  if (status != 0) return status;
  std::cout.flush();
  return std::cout ? 0 : 1;
}

}  // namespace

int export_updates(const Args& args) {
  if (wants_help(args)) {
    std::cout << help;
    return 0;
  }
  ExportFormat format = ExportFormat::jsonl;
  std::string format_name;
  bool decisions = false;
  storage::ExportFilter filter;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& option = args[i];
    if (option == "--decisions") {
      decisions = true;
      continue;
    }
    if (option != "--format" && option != "--channel" && option != "--since") {
      return usage_error("unknown option '" + option + "'", "export");
    }
    if (i + 1 == args.size()) return usage_error(option + " needs a value", "export");
    const auto& value = args[++i];
    if (option == "--format") {
      format_name = value;
      format = value == "csv" ? ExportFormat::csv : ExportFormat::jsonl;
    } else if (option == "--channel") {
      filter.channel = value;
    } else {
      filter.since = parse_rfc3339(value);
      if (!filter.since) return usage_error("--since must be an RFC 3339 time such as 2026-11-01T00:00:00Z", "export");
    }
  }

  if (decisions) {
    if (!format_name.empty() && format_name != "markdown") {
      return usage_error("--decisions prints markdown: --format must be markdown", "export");
    }
    return export_decisions(filter);
  }
  if (!format_name.empty() && format_name != "jsonl" && format_name != "csv") {
    return usage_error(format_name == "markdown" ? "--format markdown is for the decision log: add --decisions"
                                                 : "--format must be jsonl or csv",
                       "export");
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
