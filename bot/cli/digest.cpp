#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "microalign/core/config.hpp"
#include "microalign/core/export.hpp"
#include "microalign/app/digests.hpp"
#include "microalign/slack/block_kit.hpp"
#include "microalign/storage/store.hpp"
#include "microalign/storage/transactions.hpp"

namespace microalign::cli {

namespace {

constexpr const char* help = R"(Usage: microalign digest --channel C [--team T] [--as-of RFC3339] [--format text|blocks] [--post]

Shows the digest a channel would get now (or as of a given time), from the database in
MICROALIGN_DB (a SQLite file, or a postgresql:// URI), without posting it: the window since
the channel's last digest (or the last day), with what is blocked, open assumptions, what
moved, what went quiet, and what was done.

Options:
  --channel C          the channel id (required)
  --team T             the workspace id, when the database serves several
  --as-of T            the end of the window, e.g. 2026-11-23T09:00:00Z (default: now)
  --format text|blocks plain text (default), or the Block Kit JSON messages
  --post               queue it in the outbox instead: the running bot posts it within 30
                       seconds and records the run, so the next digest starts where this one
                       ends (not with a future --as-of: the window would miss what is said
                       until then)

Example:
  microalign digest --channel C0123ABC --as-of 2026-11-23T17:00:00Z
)";

struct Options {
  std::string channel;
  std::string team;
  std::optional<SysTime> as_of;
  bool blocks = false;
  bool post = false;
};

std::variant<Options, std::string> read_options(const Args& args) {
  Options o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& option = args[i];
    if (option == "--post") {
      o.post = true;
      continue;
    }
    if (option != "--channel" && option != "--team" && option != "--as-of" && option != "--format") {
      return "unknown option '" + option + "'";
    }
    if (i + 1 == args.size()) return option + " needs a value";
    const auto& value = args[++i];
    if (option == "--channel") {
      o.channel = value;
    } else if (option == "--team") {
      o.team = value;
    } else if (option == "--as-of") {
      o.as_of = parse_rfc3339(value);
      if (!o.as_of) return "--as-of must be an RFC 3339 time such as 2026-11-23T09:00:00Z";
    } else if (value == "text" || value == "blocks") {
      o.blocks = value == "blocks";
    } else {
      return "--format must be text or blocks";
    }
  }
  if (o.channel.empty()) return "--channel is required";
  return o;
}

void print(const Digest& digest, bool blocks) {
  if (!blocks) {
    std::cout << (digest.empty() ? "Nothing new and nothing quiet: no digest would be posted.\n" : to_text(digest) + "\n");
    return;
  }
  auto messages = nlohmann::json::array();
  for (const auto& m : digest.messages) messages.push_back(slack::to_block_kit(m));
  std::cout << messages.dump(2) << "\n";
}

}  // namespace

int digest(const Args& args) {
  if (wants_help(args)) {
    std::cout << help;
    return 0;
  }
  auto read = read_options(args);
  if (auto* problem = std::get_if<std::string>(&read)) return usage_error(*problem, "digest");
  const auto options = std::get<Options>(read);

  const auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
  if (options.post && options.as_of && is_future(*options.as_of, now)) {
    return usage_error("--post posts now: --as-of must not be in the future", "digest");
  }
  return with_database("digest", [&](storage::Store& store, storage::Transactions& transactions, const Config& config) {
    const auto team = options.team.empty() ? store.team_of_channel(options.channel) : options.team;
    if (!team) {
      std::cerr << "microalign: nothing is known about channel " << options.channel << "\n";
      return 1;
    }
    auto settings = store.channel_settings(*team, options.channel).value_or(storage::ChannelSettings{});
    settings.team = *team;
    settings.channel = options.channel;
    const auto as_of = options.as_of.value_or(now);
    // Outside the running bot there are no names learned and no permalinks: people show by the
    // names they posted under, and lines carry no "view" links (ticket keys still link home).
    const auto context = app::offline_context(store.workspace_platform(*team).value_or("slack"), config.trackers.homes);
    if (!options.post) {
      print(app::preview_digest(store, settings, as_of, context), options.blocks);
      return 0;
    }
    auto outcome = app::DigestOutcome::already_done;
    const auto done = storage::run_and_wait(transactions, [&](storage::Store& s) {
      outcome = app::queue_digest(s, settings, as_of, as_of, context);
    });
    if (!done.ok()) {
      std::cerr << "microalign: the digest was not queued: " << done.error << "\n";
      return 1;
    }
    std::cout << (outcome == app::DigestOutcome::queued ? "Queued: the running bot posts it within 30 seconds.\n"
                  : outcome == app::DigestOutcome::nothing_to_say ? "Nothing new and nothing quiet: no digest queued.\n"
                                                                  : "A digest for that time was already recorded.\n");
    return 0;
  });
}

}  // namespace microalign::cli
