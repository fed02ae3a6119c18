#include "cli.hpp"
#include "database.hpp"

#include <filesystem>
#include <iostream>

#include "microalign/core/config.hpp"
#include "microalign/storage/commit_queue.hpp"

namespace microalign::cli {

namespace {

constexpr const char* overview = R"(microalign — async heads-ups, status updates and digests for Slack and Teams

Usage: microalign <command> [options]

Commands:
  run       serve Slack (Socket Mode) and/or Teams (/api/messages) until SIGINT/SIGTERM
  parse     show how an update would be understood, as JSON
  export    print every stored update (JSON Lines or CSV), or the decision log (markdown)
  digest    show (or queue) a channel's digest
  nudges    show who would be nudged about which quiet tickets, and why not (or queue the DMs)
  doctor    check the set-up (tokens, scopes, Socket Mode, Teams login, database, listener)
  sandbox   try microalign in your browser: a local workspace, no account or credentials needed

Run `microalign <command> --help` for a command's options. Configuration comes from the
environment: SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_API_URL, MicrosoftAppId,
MicrosoftAppPassword, MicrosoftAppTenantId, MICROALIGN_HTTP_ADDR, MICROALIGN_DB (a SQLite file or a
postgresql:// URI), MICROALIGN_DB_FILE, MICROALIGN_DB_POOL, MICROALIGN_LOG, MICROALIGN_LOG_FORMAT,
MICROALIGN_TICKET_PREFIXES, MICROALIGN_CONNECTIONS, MICROALIGN_SANDBOX_START (see README.md).
)";

}  // namespace

bool wants_help(const Args& args) {
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") return true;
  }
  return false;
}

int usage_error(const std::string& message, const std::string& verb) {
  std::cerr << "microalign: " << message << "\n(see `microalign " << verb << " --help`)\n";
  return 2;
}

bool is_future(SysTime t, SysTime now) { return t > now + std::chrono::minutes(1); }

int with_database(const std::string& verb,
                  const std::function<int(storage::Store&, storage::Transactions&, const Config&)>& use) {
  auto loaded = load_config(process_environment());
  if (auto* error = std::get_if<ConfigError>(&loaded)) return usage_error(error->message, verb);
  const auto& config = std::get<Config>(loaded);
  if (config.postgres.empty() && !std::filesystem::exists(config.db_path)) {
    std::cerr << "microalign: no database at " << config.db_path << " (set MICROALIGN_DB)\n";
    return 1;
  }
  try {
    Database database(config);
    return use(database.store(), database.transactions(), config);
  } catch (const storage::StorageError& e) {
    std::cerr << "microalign: " << e.what() << "\n";
    return 1;
  }
}

int main(const Args& args) {
  if (args.empty() || args[0] == "help" || args[0] == "-h" || args[0] == "--help") {
    std::cout << overview;
    return args.empty() ? 2 : 0;
  }
  const Args rest(args.begin() + 1, args.end());
  if (args[0] == "run") return run(rest);
  if (args[0] == "parse") return parse(rest);
  if (args[0] == "export") return export_updates(rest);
  if (args[0] == "digest") return digest(rest);
  if (args[0] == "nudges") return nudges(rest);
  if (args[0] == "doctor") return doctor(rest);
  if (args[0] == "sandbox") return sandbox(rest);
  std::cerr << "microalign: unknown command '" << args[0] << "'\n\n" << overview;
  return 2;
}

}  // namespace microalign::cli
