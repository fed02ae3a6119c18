#include <boost/asio/io_context.hpp>
#include <iostream>

#include "cli.hpp"
#include "runtime.hpp"
#include "microalign/core/config.hpp"
#include "microalign/core/log.hpp"
#include "microalign/sandbox/adapter.hpp"

namespace microalign::cli {

namespace {

constexpr const char* default_database = "./microalign-sandbox.db";

constexpr const char* help = R"(Usage: microalign sandbox

Serves a local workspace as a web page, with no Slack or Teams account and no credentials:
a few channels (#web, #payments, #ops) and people in different time zones (Ana in Lisbon,
Bo in New York, Chen in Singapore). Pick who you are, then type /heads-up …, /status …,
/microalign … or @microalign … in a channel; nudges come as direct messages with their
buttons and update form; digests post as they would. Move the clock forward (+1 hour,
+1 day, +1 week) to see tickets go quiet, nudges arrive in working hours and digests fire.

Everything runs for real: the same parser, storage, outbox and schedulers as `run`, in its
own database. The page's messages live in memory (a restart starts the page afresh); the
database keeps the updates. Open the address it logs ("open http://… in your browser").
Runs until SIGINT or SIGTERM.

Environment (see README.md):
  MICROALIGN_HTTP_ADDR     where the page is served (default 127.0.0.1:3978)
  MICROALIGN_DB            database file (default ./microalign-sandbox.db, created 0600)
  MICROALIGN_SANDBOX_START the sandbox clock's start, e.g. 2026-06-10T09:00:00Z (default:
                           10:00 in Lisbon today, or on Monday at a weekend)
  MICROALIGN_LOG           debug, info, warn or error (default info)
  MICROALIGN_TICKET_PREFIXES   e.g. ENG,OPS: only these projects' keys count as tickets

Exit status: 0 after a clean stop, 1 on a fatal error (the address is taken),
2 for a configuration error.
)";

}  // namespace

int sandbox(const Args& args) {
  if (wants_help(args)) {
    std::cout << help;
    return 0;
  }
  if (!args.empty()) return usage_error("sandbox takes no arguments", "sandbox");

  // No credentials: only what every verb reads. Its own database unless told otherwise, so trying
  // the sandbox never mixes with a real workspace's.
  const auto env = process_environment();
  auto loaded = load_config(env);
  if (auto* error = std::get_if<ConfigError>(&loaded)) return usage_error(error->message, "sandbox");
  auto config = std::get<Config>(std::move(loaded));
  if (!env("MICROALIGN_DB")) config.db_path = default_database;
  const auto start = config.sandbox_start.value_or(sandbox::default_start(app::system_clock()()));
  sandbox::Adapter adapter(start);  // outlives the runtime
  return serve_until_signalled(config, [&](boost::asio::io_context& io, storage::Transactions& transactions) {
    return std::make_unique<Runtime>(io, config, transactions, adapter);
  });
}

}  // namespace microalign::cli
