// The cost of one channel's daily digest on a busy history: one channel with 5,000 tickets and
// 100,000 updates over 60 days (tickets that start, wobble, get blocked, finish or are abandoned;
// heads-ups, questions, assumptions, some of them answered). Times the queries that gather the
// digest's facts and build_digest, separately and together, as the median of several runs.
//   [TMPDIR=dir] bench_digest_bench [tickets=5000] [updates=100000] [days=60] [runs=20]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "../storage/fixtures.hpp"
#include "microalign/core/digest.hpp"
#include "microalign/core/schedule.hpp"
#include "microalign/storage/digest_facts.hpp"
#include "microalign/storage/sqlite_store.hpp"
#include "bench_support.hpp"

using namespace microalign;
using namespace microalign::storage;
using namespace std::chrono_literals;
using namespace microalign::bench;

namespace {

// A Slack-like message ts for the n-th message at `at`.
std::string ts_of(SysTime at, int n) {
  return numbered("", at.time_since_epoch().count() / 1000)
      .append(".")
      .append(numbered("", 100000 + n % 900000).substr(0, 6));
}

const std::string team = "T1";
const std::string channel = "C1";
constexpr int people = 25;

// A Wednesday afternoon: the digest is for the day before it.
const SysTime now = SysTime{std::chrono::sys_days{std::chrono::year{2026} / 3 / 11} + 17h};

struct History {
  std::vector<Update> updates;  // in time order
  std::size_t assumptions = 0;
};

// Each ticket lives for a while (1 to 21 days, starting anywhere in the period) and gets its
// share of updates in that time: mostly on track, now and then at risk, delayed or blocked,
// with questions and assumptions about it. Most tickets that stopped a day or more ago end
// done; the rest are abandoned, still open (the quiet ones). 15% of updates name no ticket;
// 30% come from mentions, 10% are posted in threads, 20% carry a link.
History make_history(int tickets, int total, int days) {
  std::mt19937_64 random(42);
  auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<>(lo, hi)(random); };
  auto chance = [&](double p) { return uniform(0, 1) < p; };
  const auto period = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::days(days));
  const SysTime start = now - period;
  auto at_fraction = [&](SysTime from, SysTime to, double f) {
    return from + std::chrono::milliseconds(static_cast<std::int64_t>(f * static_cast<double>((to - from).count())));
  };

  struct Life {
    SysTime begin, end;
    bool ends_done;
  };
  std::vector<Life> lives;
  for (int t = 0; t < tickets; ++t) {
    const SysTime begin = at_fraction(start, now, uniform(0, 0.98));
    const SysTime end = std::min(now, begin + std::chrono::milliseconds(static_cast<std::int64_t>(
                                                  uniform(1, 21) * 86'400'000)));
    lives.push_back({begin, end, end < now - 24h && chance(0.85)});
  }

  struct Planned {
    SysTime at;
    int ticket;  // -1: names none
  };
  std::vector<Planned> plan;
  const int with_ticket = total * 85 / 100;
  for (int n = 0; n < total; ++n) {
    if (n < with_ticket) {
      const int t = n < tickets ? n : static_cast<int>(random() % static_cast<unsigned>(tickets));
      plan.push_back({at_fraction(lives[t].begin, lives[t].end, uniform(0, 1)), t});
    } else {
      plan.push_back({at_fraction(start, now, uniform(0, 1)), -1});
    }
  }
  std::sort(plan.begin(), plan.end(), [](const Planned& a, const Planned& b) { return a.at < b.at; });
  std::vector<SysTime> last_of(static_cast<std::size_t>(tickets));
  for (const auto& p : plan) {
    if (p.ticket >= 0) last_of[p.ticket] = std::max(last_of[p.ticket], p.at);
  }

  History history;
  int n = 0;
  for (const auto& p : plan) {
    Update u = test::make_update("", p.at);
    u.where = {team, channel, chance(0.1) ? ts_of(p.at - 1h, n) : ""};
    u.user = numbered("U", static_cast<long long>(random() % people));
    u.echo_ref = ts_of(p.at + 1s, n);
    if (chance(0.3)) {
      u.source = UpdateSource::mention;
      u.source_ref = ts_of(p.at, n);
    }
    ParsedUpdate& parsed = u.parsed;
    const double roll = uniform(0, 1);
    if (p.ticket < 0) {
      parsed.kind = roll < 0.6 ? UpdateKind::heads_up : roll < 0.85 ? UpdateKind::question : UpdateKind::assumption;
    } else {
      parsed.tickets = {numbered("ENG-", 1000 + p.ticket)};
      if (lives[p.ticket].ends_done && p.at == last_of[p.ticket]) {
        parsed.kind = UpdateKind::status;
        parsed.state = TicketState::done;
      } else if (roll < 0.50) {
        parsed.kind = UpdateKind::status;
        parsed.state = TicketState::on_track;
      } else if (roll < 0.58) {
        parsed.kind = UpdateKind::status;
        parsed.state = TicketState::at_risk;
      } else if (roll < 0.63) {
        parsed.kind = UpdateKind::status;
        parsed.state = TicketState::delayed;
        parsed.delay_days = 1 + static_cast<int>(random() % 5);
      } else if (roll < 0.68) {
        parsed.kind = UpdateKind::status;
        parsed.state = TicketState::blocked;
        parsed.blocked_on = "the security review";
      } else if (roll < 0.80) {
        parsed.kind = UpdateKind::status;  // "I'm on it": takes ownership, states nothing
      } else if (roll < 0.92) {
        parsed.kind = UpdateKind::question;
      } else {
        parsed.kind = UpdateKind::assumption;
      }
    }
    // A question or an assumption may name a second ticket ("does ENG-2 wait for ENG-1?").
    if (!parsed.tickets.empty() && !parsed.state && chance(0.3)) {
      parsed.tickets.push_back(numbered("ENG-", 1000 + (p.ticket + 1) % tickets));
    }
    if (chance(0.2)) parsed.links = {numbered("https://tracker.example/browse/ENG-", n)};
    parsed.text = std::string(to_string(parsed.kind)) + " about " +
                  (parsed.tickets.empty() ? std::string("the release") : parsed.tickets.front()) +
                  ", with enough words to look like what people actually write in a channel";
    if (parsed.kind == UpdateKind::assumption) ++history.assumptions;
    history.updates.push_back(std::move(u));
    ++n;
  }
  return history;
}

// Stores the history, answering most assumptions older than a day and some recent ones.
void store_history(SqliteStore& store, const History& history) {
  std::mt19937_64 random(7);
  store.begin();
  for (const auto& u : history.updates) {
    const auto id = store.insert_update(u).update_id;
    if (u.parsed.kind != UpdateKind::assumption) continue;
    const double p = u.created_at < now - 24h ? 0.9 : 0.3;
    if (std::uniform_real_distribution<>(0, 1)(random) < p) {
      store.record_answer(id, AnswerKind::reply, "U0", u.created_at + 2h);
    }
  }
  store.commit();
}

}  // namespace

int main(int argc, char** argv) {
  const int tickets = arg(argc, argv, 1, 5'000);
  const int total = arg(argc, argv, 2, 100'000);
  const int days = arg(argc, argv, 3, 60);
  const int runs = arg(argc, argv, 4, 20);
  test::TempDir dir;
  const std::string path = dir.file("digest-bench.db");

  const auto history = make_history(tickets, total, days);
  auto store = SqliteStore::open(path);
  const auto load_start = Clock::now();
  store_history(*store, history);
  const double load_ms = ms(Clock::now() - load_start);

  const SysTime window_start = now - 24h;
  const SysTime quiet_since = working_days_before(now, 3, "UTC");
  std::map<std::string, std::string> names;
  for (int p = 0; p < people; ++p) names[numbered("U", p)] = numbered("Person ", p);

  auto gather = [&] {
    DigestInput in;
    in.team = team;
    in.channel = channel;
    in.window_start = window_start;
    in.window_end = now;
    in.time_zone = "UTC";
    in.updates = store->updates_in_window(team, channel, window_start, now);
    in.troubled = store->troubled_tickets(team, channel);
    in.open_assumptions = store->open_assumptions(team, channel);
    in.quiet = store->quiet_tickets(team, channel, quiet_since);
    in.quiet_threshold_days = 3;
    in.previous = DigestCounts{1500, 25, 900, 250, 600};
    in.names = names;
    in.link_to = [](const Update& u) {
      return "https://acme.slack.com/archives/" + u.where.channel + "/p" + u.echo_ref;
    };
    return in;
  };
  // As the bot gathers them: one transaction (a commit queue item) around all four queries.
  auto gather_in_transaction = [&] {
    store->begin();
    auto in = gather();
    store->commit();
    return in;
  };

  const DigestInput sample = gather();
  const Digest digest = build_digest(sample, DigestOptions{});
  const std::size_t rendered = to_text(digest).size();

  std::printf("digest_bench: %d tickets, %zu updates (%zu assumptions) over %d days in one channel\n",
              tickets, history.updates.size(), history.assumptions, days);
  std::printf("  database    %.1f MB, loaded in %.1f s; db in %s\n",
              static_cast<double>(std::filesystem::file_size(path) +
                                  std::filesystem::file_size(path + "-wal")) / 1e6,
              load_ms / 1000, path.c_str());
  std::printf("  digest      last day: %zu updates, %zu troubled, %zu open assumptions, %zu quiet "
              "(3 working days); messages: %zu, %zu bytes of text\n",
              sample.updates.size(), sample.troubled.size(), sample.open_assumptions.size(),
              sample.quiet.size(), digest.messages.size(), rendered);
  std::printf("  median of %d runs:\n", runs);

  const double window = median_ms(runs, [&] { store->updates_in_window(team, channel, window_start, now); });
  const double troubled = median_ms(runs, [&] { store->troubled_tickets(team, channel); });
  const double assumptions = median_ms(runs, [&] { store->open_assumptions(team, channel); });
  const double quiet = median_ms(runs, [&] { store->quiet_tickets(team, channel, quiet_since); });
  const double queries = median_ms(runs, [&] { gather_in_transaction(); });
  const double build = median_ms(runs, [&] { build_digest(sample, DigestOptions{}); });
  const double both = median_ms(runs, [&] { build_digest(gather_in_transaction(), DigestOptions{}); });
  std::printf("    updates_in_window   %7.2f ms\n", window);
  std::printf("    troubled_tickets    %7.2f ms\n", troubled);
  std::printf("    open_assumptions    %7.2f ms\n", assumptions);
  std::printf("    quiet_tickets       %7.2f ms\n", quiet);
  std::printf("    all four queries    %7.2f ms (one transaction)\n", queries);
  std::printf("    build_digest        %7.2f ms\n", build);
  std::printf("    gather + build      %7.2f ms (target < 50 ms)\n", both);
}
