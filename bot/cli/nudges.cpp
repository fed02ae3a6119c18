#include <iostream>

#include "cli.hpp"
#include "microalign/core/config.hpp"
#include "microalign/core/export.hpp"
#include "microalign/core/schedule.hpp"
#include "microalign/app/nudges.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/storage/transactions.hpp"

namespace microalign::cli {

namespace {

constexpr const char* help = R"(Usage: microalign nudges [--as-of RFC3339] [--send]

Lists who would get a nudge now (or at a given time) about which quiet tickets, from the
database in MICROALIGN_DB (a SQLite file, or a postgresql:// URI), and why the other tickets
that have had no update for a day or more get none: not quiet yet, snoozed, owner away,
already nudged, outside working hours…
A ticket is quiet after its channel's threshold (3 working days unless set with
`/microalign quiet`), in its owner's time zone; owners the running bot has not looked up yet
count in UTC.

Options:
  --as-of T   the moment to plan for, e.g. 2026-11-25T09:30:00Z (default: now)
  --send      queue the DMs in the outbox and record them: the running bot sends them within
              30 seconds (not with a future --as-of: they would go before their time)

Example:
  microalign nudges --as-of 2026-11-25T09:30:00Z
)";

struct Options {
  std::optional<SysTime> as_of;
  bool send = false;
};

std::variant<Options, std::string> read_options(const Args& args) {
  Options o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& option = args[i];
    if (option == "--send") {
      o.send = true;
      continue;
    }
    if (option != "--as-of") return "unknown option '" + option + "'";
    if (i + 1 == args.size()) return option + " needs a value";
    o.as_of = parse_rfc3339(args[++i]);
    if (!o.as_of) return "--as-of must be an RFC 3339 time such as 2026-11-25T09:30:00Z";
  }
  return o;
}

std::string plural(std::size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// Prints one workspace's plan; people show by name when the store knows one.
class PlanPrinter {
 public:
  PlanPrinter(storage::Store& store, const app::TeamNudges& team, SysTime now)
      : team_(team), names_(store.known_names(team.team)), now_(now) {}

  void print() const {
    for (const auto& plan : team_.report.nudges) {
      std::cout << "Nudge " << person(plan.owner) << " about " << plural(plan.tickets.size(), "ticket", "tickets")
                << " in one DM [" << zone_of(plan.owner) << "]:\n";
      for (const auto& c : plan.tickets) std::cout << "  " << ticket(c) << "\n";
    }
    if (team_.report.skipped.empty()) return;
    std::cout << "No nudge:\n";
    for (const auto& [c, why] : team_.report.skipped) {
      std::cout << "  " << ticket(c);
      if (!c.ticket.owner.empty()) std::cout << ", owner " << person(c.ticket.owner);
      std::cout << ": " << to_string(why) << "\n";
    }
  }

 private:
  std::string person(const std::string& user) const {
    const auto name = names_.find(user);
    return name == names_.end() || name->second.empty() ? user : name->second + " (" + user + ")";
  }

  std::string zone_of(const std::string& user) const {
    const auto profile = team_.owners.find(user);
    const bool known = profile != team_.owners.end() && !profile->second.time_zone.empty();
    return known ? profile->second.time_zone : "UTC: time zone not known yet";
  }

  // "ENG-42 in C0123, quiet for 4 working days": counted as the policy counts.
  std::string ticket(const NudgeCandidate& c) const {
    const auto profile = team_.owners.find(c.ticket.owner);
    const auto zone = profile == team_.owners.end() ? std::string{} : profile->second.time_zone;
    const auto days = working_days_between(c.ticket.last_update_at, now_, zone, c.channel_holidays);
    return c.ticket.key + " in " + c.channel + ", quiet for " +
           plural(static_cast<std::size_t>(days), "working day", "working days") + " (threshold " +
           std::to_string(c.quiet_days) + ")";
  }

  const app::TeamNudges& team_;
  std::map<std::string, std::string> names_;
  SysTime now_;
};

}  // namespace

int nudges(const Args& args) {
  if (wants_help(args)) {
    std::cout << help;
    return 0;
  }
  auto read = read_options(args);
  if (auto* problem = std::get_if<std::string>(&read)) return usage_error(*problem, "nudges");
  const auto options = std::get<Options>(read);

  const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  if (options.send && options.as_of && is_future(*options.as_of, now)) {
    return usage_error("--send sends now: --as-of must not be in the future", "nudges");
  }
  return with_database("nudges", [&](storage::Store& store, storage::Transactions& transactions, const Config& config) {
    const auto as_of = options.as_of.value_or(now);
    const auto teams = app::plan_all_nudges(store, as_of);
    std::size_t dms = 0;
    for (const auto& team : teams) {
      if (teams.size() > 1) std::cout << "Workspace " << team.team << ":\n";
      PlanPrinter(store, team, as_of).print();
      dms += team.report.nudges.size();
    }
    if (!options.send) {
      std::cout << (dms == 0 ? "Nobody would be nudged now.\n" : plural(dms, "DM", "DMs") + " would be sent.\n");
      return 0;
    }
    // Outside the running bot there are no names learned and no links: the DMs carry no links
    // to the updates, and people show by the names they posted under.
    int queued = 0;
    const auto done = storage::run_and_wait(transactions, [&](storage::Store& s) {
      queued = 0;
      for (const auto& team : teams) {
        const auto context =
            app::offline_context(s.workspace_platform(team.team).value_or("slack"), config.trackers.homes);
        queued += app::queue_nudges(s, team, as_of, context);
      }
    });
    if (!done.ok()) {
      std::cerr << "microalign: the DMs were not queued: " << done.error << "\n";
      return 1;
    }
    std::cout << "Queued " << plural(static_cast<std::size_t>(queued), "DM", "DMs")
              << (queued == 0 ? ".\n" : ": the running bot sends them within 30 seconds.\n");
    return 0;
  });
}

}  // namespace microalign::cli
