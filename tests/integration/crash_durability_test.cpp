// What microalign promises across crashes and stops, shown on the real `microalign run` binary
// against the fake Slack with slash commands flowing over several sockets: killed with SIGKILL
// at random moments and started again, every envelope it acknowledged is stored exactly once and
// every stored update's echo is posted (twice only when it died between Slack's answer to
// chat.postMessage and the commit that records it); stopped with SIGTERM, it finishes what it
// took, closes its sockets and exits 0. Slack's side (redelivering what was not acknowledged) is
// played by Redelivery. The storage-level crash test (tests/storage/crash_test.cpp) kills a
// writer under the commit queue; this one kills the whole bot.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <regex>

#include "bot_harness.hpp"
#include "bot_process.hpp"
#include "redelivery.hpp"

using namespace microalign;
using namespace microalign::test;
using std::chrono::milliseconds;
using std::chrono::steady_clock;

namespace {

constexpr int connections = 3;  // MICROALIGN_CONNECTIONS: envelopes flow over several sockets
// Echoes are paced at about one a second per channel: spread over many, they keep up.
constexpr int channels = 100;
constexpr auto between_commands = milliseconds(4);

std::string envelope_id(int n) { return "env-" + std::to_string(n); }

// Command n names ticket ENG-n, so each stored update and each echo says which command it was.
nlohmann::json command(int n, const FakeSlack& slack) {
  const auto channel = "C" + std::to_string(100 + n % channels);
  const auto user = "U" + std::to_string(100 + n % 7);
  const auto ticket = "ENG-" + std::to_string(n);
  const auto reply = slack.response_url("r" + std::to_string(n));
  if (n % 3 == 0)
    return slash_command(envelope_id(n), "/heads-up", ticket + " deploy freeze on friday", user, channel, reply);
  return slash_command(envelope_id(n), "/status", ticket + " on track", user, channel, reply);
}

// The command an update or an echo came from: the number of its ENG ticket.
std::optional<int> command_in(const std::string& text) {
  static const std::regex ticket("ENG-([0-9]+)");
  std::smatch found;
  if (!std::regex_search(text, found, ticket)) return std::nullopt;
  return std::stoi(found[1]);
}

// The bot's life, over and over, against one fake Slack and one database.
struct Lives {
  TestPki pki;
  FakeSlack slack{pki};
  TempDir dir;
  std::filesystem::path db = dir.path() / "microalign.db";
  Redelivery delivery{slack};
  int sent = 0;  // commands sent so far: 0 … sent-1

  Process::Environment environment() const {
    auto env = bot_environment(slack, pki, db);
    env["MICROALIGN_CONNECTIONS"] = std::to_string(connections);
    env["MICROALIGN_LOG"] = "info";  // debug writes a line per update
    return env;
  }

  // Starts the bot and waits for all its sockets (its predecessor's are closed by then), then
  // redelivers what its predecessor left unacknowledged. Returns its sockets.
  std::vector<int> start(std::unique_ptr<Process>& bot) {
    bot = std::make_unique<Process>(std::vector<std::string>{"run"}, environment(), dir.path());
    const bool up = slack.wait_for_connections(connections, 10s);
    INFO(bot->err());
    REQUIRE(up);
    const auto sockets = slack.open_sockets();
    delivery.redeliver(sockets);
    return sockets;
  }

  // Sends new commands round the sockets until `enough()`, and always at least one: on a loaded
  // machine the bot may close its sockets after SIGTERM before this thread runs again, and the
  // command sent then must still be left for redelivery, not lost.
  template <typename Enough>
  void flow(const std::vector<int>& sockets, Enough enough) {
    do {
      delivery.send(command(sent, slack), sockets[static_cast<std::size_t>(sent) % sockets.size()]);
      ++sent;
      std::this_thread::sleep_for(between_commands);
    } while (!enough());
  }
  void flow(const std::vector<int>& sockets, milliseconds how_long) {
    flow(sockets, [until = steady_clock::now() + how_long] { return steady_clock::now() >= until; });
  }

  void wait_closed(const std::vector<int>& sockets) {
    for (const int id : sockets) REQUIRE(slack.wait_for_closed(id, 10s));
  }

  // Every command acknowledged, and every one's echo posted.
  void finish() {
    REQUIRE(eventually([&] { return delivery.unacknowledged() == 0; }, 15s));
    // An echo the killed process had claimed waits for its claim to run out (storage::claim_lease).
    REQUIRE(eventually([&] { return echoes().size() == static_cast<std::size_t>(sent); }, 30s + storage::claim_lease));
  }

  // How many times each command's echo was posted.
  std::map<int, int> echoes() const {
    std::map<int, int> times;
    for (const auto& message : slack.posted_messages()) {
      if (const auto n = command_in(message.value("text", ""))) ++times[*n];
    }
    return times;
  }

  std::vector<Update> stored() const { return storage::SqliteStore::open(db.string())->updates({}); }
};

// How many times each command was stored.
std::map<int, int> commands_stored(const std::vector<Update>& updates) {
  std::map<int, int> times;
  for (const auto& update : updates) {
    const auto n = command_in(update.parsed.text);
    REQUIRE(n);
    ++times[*n];
  }
  return times;
}

int times_in(const std::map<int, int>& times, int n) {
  const auto found = times.find(n);
  return found == times.end() ? 0 : found->second;
}

void stop(Process& bot) {
  bot.signal(SIGTERM);
  const int status = bot.wait(10s);
  INFO(bot.err());
  REQUIRE(status == 0);
}

}  // namespace

TEST_CASE("killed at random while commands flow, every acknowledged envelope is stored once and every echo posted",
          "[crash][slack]") {
  constexpr int kills = 22;
  Lives lives;
  std::mt19937 random(13);  // fixed: a failure comes back the same way
  std::uniform_int_distribution<int> life_ms(60, 400);
  const auto started = steady_clock::now();

  std::unique_ptr<Process> bot;
  for (int kill = 0; kill < kills; ++kill) {
    const auto sockets = lives.start(bot);
    lives.flow(sockets, milliseconds(life_ms(random)));
    bot->signal(SIGKILL);
    CHECK(bot->wait(10s) == -1);  // died of the signal
    lives.wait_closed(sockets);
  }
  const auto redelivered = lives.delivery.redelivered();
  lives.start(bot);
  lives.finish();
  stop(*bot);
  INFO(lives.sent << " commands, " << redelivered << " redelivered after a kill, "
                  << std::chrono::duration_cast<milliseconds>(steady_clock::now() - started).count() << " ms");
  // Whether a kill fell while envelopes were in flight depends on how fast this build acks (a
  // sanitized build usually leaves some; a plain one may leave none): reported, not required.
  // Redelivery itself is proved by "slash command redelivered after its commit is stored once".
  if (redelivered == 0) WARN("no kill fell while envelopes were in flight");

  // An envelope acknowledged and then lost would never come again (Slack redelivers only what
  // was not acknowledged): it would be missing here.
  const auto updates = lives.stored();
  const auto stored = commands_stored(updates);
  CHECK(updates.size() == static_cast<std::size_t>(lives.sent));
  for (int n = 0; n < lives.sent; ++n) {
    INFO("command " << n);
    CHECK(times_in(stored, n) == 1);
  }
  for (const auto& update : updates) CHECK(!update.echo_ref.empty());  // recorded as sent

  // Posted twice only when a kill fell between Slack's answer and the commit that records it:
  // the sender posts one message at a time, so each kill doubles at most one.
  int doubled = 0;
  for (const auto& [n, times] : lives.echoes()) {
    INFO("echo of command " << n);
    CHECK(times <= 2);
    doubled += times == 2 ? 1 : 0;
  }
  CHECK(doubled <= kills);
}

TEST_CASE("SIGTERM under load: what was taken is stored and acknowledged, the rest left for redelivery, exit 0 in 10 s",
          "[crash][slack][shutdown]") {
  Lives lives;
  std::unique_ptr<Process> bot;
  const auto sockets = lives.start(bot);
  lives.flow(sockets, 400ms);

  bot->signal(SIGTERM);
  const auto signalled = steady_clock::now();
  // Still coming while it stops, until its sockets close: those it had not taken it leaves.
  lives.flow(sockets, [&, until = signalled + 10s] {
    return lives.slack.open_sockets().empty() || steady_clock::now() >= until;
  });
  const int status = bot->wait(10s);
  const auto took = steady_clock::now() - signalled;
  INFO(bot->err());
  CHECK(status == 0);
  CHECK(took < 10s);
  CHECK(bot->err().find("stopped cleanly") != std::string::npos);
  for (const int id : sockets) {
    INFO("socket " << id);
    CHECK(lives.slack.wait_for_closed(id, 1s));
    CHECK(lives.slack.socket(id).client_close);  // closed by the bot, with a close frame
  }

  // Acknowledged is stored; and stored is acknowledged: it finished each envelope it took.
  const auto stored = commands_stored(lives.stored());
  const auto acked = lives.delivery.acknowledged();
  for (int n = 0; n < lives.sent; ++n) {
    INFO("command " << n);
    CHECK(acked.contains(envelope_id(n)) == stored.contains(n));
  }
  CHECK(!acked.empty());
  CHECK(lives.delivery.unacknowledged() > 0);  // some came after the signal: left for Slack

  // Slack redelivers the rest to the next process: each is then stored once.
  lives.start(bot);
  lives.finish();
  stop(*bot);
  const auto after = commands_stored(lives.stored());
  for (int n = 0; n < lives.sent; ++n) {
    INFO("command " << n);
    CHECK(times_in(after, n) == 1);
  }
}
