// slack_load: plays Slack for any Socket Mode app and measures how it acknowledges slash
// commands — flat out, paced, its memory, its start. See usage() and the README's Benchmarks.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

#include "app_process.hpp"
#include "load_server.hpp"
#include "test_pki.hpp"

namespace microalign::bench {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

const char* usage() {
  return R"(usage: slack_load --app 'COMMAND …' [--app 'COMMAND …' …] [options]

Plays Slack for any Socket Mode app: serves its Web API (apps.connections.open, auth.test,
chat.postMessage, …) and Socket Mode over loopback TLS with a CA made for the run, starts each
app with `sh -c COMMAND` in a fresh directory, sends it real slash_commands envelopes
(/heads-up over 50 channels and 200 people) and times the acknowledgements. The apps run one
after another; one table compares them, beside the generator's own ceiling (the same run
against an app that acknowledges at once).

The app gets SLACK_APP_TOKEN, SLACK_BOT_TOKEN, SLACK_API_URL (this Web API), SSL_CERT_FILE and
NODE_EXTRA_CA_CERTS (the run's CA), and SLACK_LOAD_CONNECTIONS (the sockets it should open).

options:
  --app COMMAND     an app to measure (repeatable)
  --label NAME      a name for the app of the same position (default: its command)
  --n N             envelopes in the flat-out burst (default 20000)
  --connections K   sockets to wait for before sending (default 2)
  --rate R,…        paced rates in envelopes per second (default 500,2000,10000)
  --seconds S       how long each paced rate runs (default 4)
  --fill N          updates sent in all before the last memory reading (default 1000000; 0: skip)
  --no-ceiling      skip measuring the generator's own ceiling
  --ceiling-app P   the acknowledge-at-once app (default: slack_ack_at_once beside this program)
  --json            one JSON object on stdout instead of the table
  --keep            keep each app's directory and log (printed on stderr)
  --help            this text

Figures: flat-out acks/s (the burst: first envelope sent to last acknowledgement), p50/p99/p99.9
acknowledgement latency at each paced rate (timed from when each envelope was due), resident
memory of the app's process tree when idle, at its peak in the burst and after --fill updates,
and the time from starting the app to the first hello sent.
)";
}

struct Options {
  std::vector<std::string> apps;
  std::vector<std::string> labels;
  std::uint64_t burst = 20000;
  int connections = 2;
  std::vector<std::uint64_t> rates{500, 2000, 10000};
  double seconds = 4;
  std::uint64_t fill = 1000000;
  bool ceiling = true;
  std::string ceiling_app;
  bool json = false;
  bool keep = false;
};

struct Paced {
  std::uint64_t rate = 0;
  double p50 = 0, p99 = 0, p999 = 0;
  std::uint64_t missing = 0;
};

struct Figures {
  std::string label;
  double flat_out = 0;
  std::uint64_t burst_missing = 0;
  std::vector<Paced> paced;
  double idle_rss = 0, peak_rss = 0, fill_rss = 0;
  std::uint64_t filled = 0;
  double start_to_hello_ms = 0;
  std::map<std::string, std::uint64_t> calls;
  std::optional<int> exit_status;
  double stop_seconds = 0;
};

std::uint64_t number(const std::string& flag, const std::string& value) {
  std::size_t used = 0;
  unsigned long long n = 0;
  try {
    n = std::stoull(value, &used);
  } catch (...) {
    used = 0;
  }
  if (used != value.size() || value.empty())
    throw std::invalid_argument(flag + " needs a number (got '" + value + "')");
  return n;
}

std::string executable_dir() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : self.parent_path().string();
}

Options parse(int argc, char** argv) {
  Options o;
  o.ceiling_app = executable_dir() + "/slack_ack_at_once";
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(flag + " needs a value");
      return argv[++i];
    };
    if (flag == "--help" || flag == "-h") {
      std::cout << usage();
      std::exit(0);
    } else if (flag == "--app") {
      o.apps.push_back(value());
    } else if (flag == "--label") {
      o.labels.push_back(value());
    } else if (flag == "--n") {
      o.burst = std::max<std::uint64_t>(1, number(flag, value()));
    } else if (flag == "--connections") {
      o.connections = static_cast<int>(std::clamp<std::uint64_t>(number(flag, value()), 1, 10));
    } else if (flag == "--rate") {
      o.rates.clear();
      std::stringstream list(value());
      for (std::string r; std::getline(list, r, ',');) o.rates.push_back(std::max<std::uint64_t>(1, number(flag, r)));
    } else if (flag == "--seconds") {
      o.seconds = std::max(0.1, std::strtod(value().c_str(), nullptr));
    } else if (flag == "--fill") {
      o.fill = number(flag, value());
    } else if (flag == "--no-ceiling") {
      o.ceiling = false;
    } else if (flag == "--ceiling-app") {
      o.ceiling_app = value();
    } else if (flag == "--json") {
      o.json = true;
    } else if (flag == "--keep") {
      o.keep = true;
    } else {
      throw std::invalid_argument("unknown option " + flag + " (see --help)");
    }
  }
  if (o.apps.empty()) throw std::invalid_argument("--app COMMAND is required (see --help)");
  return o;
}

double percentile(std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

void progress(const std::string& line) { std::cerr << "slack_load: " << line << std::endl; }

// One app's run, start to stop, as a coroutine on the generator's one thread.
class Run {
 public:
  Run(asio::io_context& io, const Options& options, const test::TestPki& pki, std::string command, std::string label,
      bool ceiling_only)
      : io_(io), options_(options), pki_(pki), command_(std::move(command)), ceiling_only_(ceiling_only) {
    figures_.label = std::move(label);
  }

  asio::awaitable<Figures> run() {
    char dir_template[] = "/tmp/slack_load.XXXXXX";
    if (!::mkdtemp(dir_template)) throw std::runtime_error("cannot make a temporary directory");
    dir_ = dir_template;
    const auto log = dir_ / "app.log";
    LoadServer server(io_, pki_.server_cert_file(), pki_.server_key_file(), options_.connections);
    server_ = &server;
    const std::map<std::string, std::string> environment{
        {"SLACK_APP_TOKEN", "xapp-1-A111-111-load"},
        {"SLACK_BOT_TOKEN", "xoxb-111-222-load"},
        {"SLACK_API_URL", server.api_url()},
        {"SSL_CERT_FILE", pki_.ca_file().string()},
        {"NODE_EXTRA_CA_CERTS", pki_.ca_file().string()},
        {"SLACK_LOAD_CONNECTIONS", std::to_string(options_.connections)}};
    const auto started = Clock::now();
    AppProcess app(command_, dir_, environment, log);
    app_ = &app;
    try {
      // (Named, not a temporary in the co_await: GCC 12 destroys such a lambda twice.)
      auto connected = [&] { return server.open_sockets() >= static_cast<std::size_t>(options_.connections); };
      co_await until(connected, 60s, "its " + std::to_string(options_.connections) + " sockets");
      figures_.start_to_hello_ms = std::chrono::duration<double, std::milli>(*server.first_hello() - started).count();
      co_await sleep(1s);
      figures_.idle_rss = app.rss_mb();
      if (!ceiling_only_) {
        for (const auto rate : options_.rates) co_await paced(rate);
      }
      co_await burst();
      if (!ceiling_only_ && options_.fill > 0) co_await fill();
    } catch (...) {
      app.kill();
      progress(figures_.label + ": its log: " + log.string());
      throw;
    }
    // The loop keeps running while the app stops: it may still close its sockets or post.
    const auto stopping = Clock::now();
    app.terminate();
    while (!app.exited() && Clock::now() - stopping < 10s) co_await sleep(1ms);
    figures_.stop_seconds = std::chrono::duration<double>(Clock::now() - stopping).count();
    figures_.exit_status = app.exited();
    app.kill();
    figures_.calls = server.calls();
    if (options_.keep) {
      progress(figures_.label + ": kept " + dir_.string());
    } else {
      std::filesystem::remove_all(dir_);
    }
    co_return figures_;
  }

 private:
  asio::awaitable<void> sleep(Clock::duration d) {
    asio::steady_timer timer(io_, d);
    co_await timer.async_wait(asio::use_awaitable);
  }

  // Polls every millisecond until `done`; fails after `limit` or when the app has exited.
  template <typename Done>
  asio::awaitable<void> until(Done done, Clock::duration limit, const std::string& what) {
    const auto deadline = Clock::now() + limit;
    while (!done()) {
      if (auto status = app_->exited()) {
        throw std::runtime_error(figures_.label + " exited (status " + std::to_string(*status) + ") waiting for " +
                                 what);
      }
      if (Clock::now() > deadline) throw std::runtime_error(figures_.label + ": timed out waiting for " + what);
      co_await sleep(1ms);
    }
  }

  // Waits for the phase's acknowledgements: done when all came, or when none came for `quiet`.
  asio::awaitable<std::uint64_t> settle(Phase& phase, Clock::duration quiet) {
    auto last_progress = Clock::now();
    std::uint64_t seen = phase.acked;
    while (phase.acked < phase.count) {
      if (auto status = app_->exited()) {
        throw std::runtime_error(figures_.label + " exited (status " + std::to_string(*status) + ") under load");
      }
      if (phase.acked != seen) {
        seen = phase.acked;
        last_progress = Clock::now();
      } else if (Clock::now() - last_progress > quiet) {
        break;
      }
      co_await sleep(1ms);
    }
    co_return phase.count - phase.acked;
  }

  asio::awaitable<void> paced(std::uint64_t rate) {
    const auto count =
        std::max<std::uint64_t>(1, static_cast<std::uint64_t>(static_cast<double>(rate) * options_.seconds));
    auto& phase = server_->begin_phase(count);
    progress(figures_.label + ": " + std::to_string(count) + " at " + std::to_string(rate) + "/s");
    const auto start = Clock::now();
    while (phase.sent < count) {
      const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
      const auto due =
          std::min<std::uint64_t>(count, static_cast<std::uint64_t>(elapsed * static_cast<double>(rate)) + 1);
      if (due > phase.sent) server_->send_next(due - phase.sent);
      co_await sleep(200us);
    }
    Paced p;
    p.rate = rate;
    p.missing = co_await settle(phase, 10s);
    std::vector<double> latencies;
    latencies.reserve(phase.acked);
    for (const auto ms : phase.ack_ms) {
      if (ms >= 0) latencies.push_back(ms);
    }
    std::sort(latencies.begin(), latencies.end());
    p.p50 = percentile(latencies, 0.50);
    p.p99 = percentile(latencies, 0.99);
    p.p999 = percentile(latencies, 0.999);
    figures_.paced.push_back(p);
    co_await sleep(500ms);
  }

  asio::awaitable<void> burst() {
    auto& phase = server_->begin_phase(options_.burst);
    progress(figures_.label + ": burst of " + std::to_string(options_.burst));
    bool sampling = true;
    double peak = app_->rss_mb();
    // The peak, sampled every 5 ms while the burst lasts.
    asio::co_spawn(
        io_,
        [&]() -> asio::awaitable<void> {
          while (sampling) {
            peak = std::max(peak, app_->rss_mb());
            co_await sleep(5ms);
          }
        },
        asio::detached);
    const auto start = Clock::now();
    server_->send_next(options_.burst);
    figures_.burst_missing = co_await settle(phase, 10s);
    sampling = false;
    co_await sleep(10ms);
    figures_.peak_rss = std::max(peak, app_->rss_mb());
    if (phase.acked > 0) {
      figures_.flat_out =
          static_cast<double>(phase.acked) / std::chrono::duration<double>(phase.last_ack - start).count();
    }
    co_await sleep(500ms);
  }

  // Sends the rest of --fill in flat-out chunks, then reads the memory once the app is idle.
  asio::awaitable<void> fill() {
    constexpr std::uint64_t chunk = 20000;
    std::uint64_t sent = server_->envelopes_queued();  // by the paced phases and the burst
    progress(figures_.label + ": filling to " + std::to_string(options_.fill) + " updates");
    auto last_report = Clock::now();
    while (sent < options_.fill) {
      const auto n = std::min(chunk, options_.fill - sent);
      auto& phase = server_->begin_phase(n);
      server_->send_next(n);
      const auto missing = co_await settle(phase, 10s);
      if (missing > 0) progress(figures_.label + ": " + std::to_string(missing) + " not acknowledged while filling");
      sent += n;
      if (Clock::now() - last_report > 10s) {
        progress(figures_.label + ": " + std::to_string(sent) + " sent");
        last_report = Clock::now();
      }
    }
    figures_.filled = sent;
    co_await sleep(2s);
    figures_.fill_rss = app_->rss_mb();
  }

  asio::io_context& io_;
  const Options& options_;
  const test::TestPki& pki_;
  std::string command_;
  bool ceiling_only_;
  std::filesystem::path dir_;
  LoadServer* server_ = nullptr;
  AppProcess* app_ = nullptr;
  Figures figures_;
};

std::string fixed(double v, int decimals) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, v);
  return text;
}

std::string thousands(double v) {
  auto digits = std::to_string(static_cast<long long>(std::llround(v)));
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(static_cast<std::size_t>(at), ",");
  return digits;
}

nlohmann::json to_json(const Figures& f, std::optional<double> ceiling) {
  nlohmann::json paced = nlohmann::json::object();
  for (const auto& p : f.paced) {
    paced[std::to_string(p.rate)] = {{"p50_ms", p.p50}, {"p99_ms", p.p99}, {"p999_ms", p.p999}, {"missing", p.missing}};
  }
  nlohmann::json j{{"app", f.label},
                   {"flat_out_acks_per_s", f.flat_out},
                   {"burst_missing", f.burst_missing},
                   {"paced", paced},
                   {"idle_rss_mb", f.idle_rss},
                   {"peak_rss_mb", f.peak_rss},
                   {"start_to_hello_ms", f.start_to_hello_ms},
                   {"stop_seconds", f.stop_seconds},
                   {"exit_status", f.exit_status ? nlohmann::json(*f.exit_status) : nlohmann::json()},
                   {"web_api_calls", f.calls}};
  if (f.filled > 0) {
    j["filled"] = f.filled;
    j["rss_after_fill_mb"] = f.fill_rss;
  }
  j["ceiling_acks_per_s"] = ceiling ? nlohmann::json(*ceiling) : nlohmann::json();
  return j;
}

void print_table(const Options& o, const std::vector<Figures>& apps, const std::optional<Figures>& ceiling) {
  std::vector<std::pair<std::string, std::vector<std::string>>> rows;
  auto row = [&](std::string name, auto cell) {
    std::vector<std::string> cells;
    for (const auto& f : apps) cells.push_back(cell(f));
    rows.emplace_back(std::move(name), std::move(cells));
  };
  row("flat-out acks/s (" + thousands(static_cast<double>(o.burst)) + ", " + std::to_string(o.connections) +
          " sockets)",
      [](const Figures& f) {
        return thousands(f.flat_out) + (f.burst_missing ? " (" + std::to_string(f.burst_missing) + " unacked)" : "");
      });
  for (std::size_t i = 0; i < o.rates.size(); ++i) {
    row("paced " + thousands(static_cast<double>(o.rates[i])) + "/s: p50 / p99 / p99.9 ms", [i](const Figures& f) {
      if (i >= f.paced.size()) return std::string("-");
      const auto& p = f.paced[i];
      return fixed(p.p50, 2) + " / " + fixed(p.p99, 2) + " / " + fixed(p.p999, 2) +
             (p.missing ? " (" + std::to_string(p.missing) + " unacked)" : "");
    });
  }
  row("idle RSS MB", [](const Figures& f) { return fixed(f.idle_rss, 1); });
  row("peak RSS MB in the burst", [](const Figures& f) { return fixed(f.peak_rss, 1); });
  if (o.fill > 0) {
    row("RSS MB after " + thousands(static_cast<double>(o.fill)) + " updates",
        [](const Figures& f) { return f.filled ? fixed(f.fill_rss, 1) : std::string("-"); });
  }
  row("start to first hello ms", [](const Figures& f) { return fixed(f.start_to_hello_ms, 0); });
  row("SIGTERM to exit s", [](const Figures& f) {
    return fixed(f.stop_seconds, 2) + (f.exit_status ? " (status " + std::to_string(*f.exit_status) + ")" : "");
  });

  std::size_t first_width = 0;
  for (const auto& [name, cells] : rows) first_width = std::max(first_width, name.size());
  std::vector<std::size_t> widths;
  for (const auto& f : apps) widths.push_back(f.label.size());
  for (const auto& [name, cells] : rows) {
    for (std::size_t i = 0; i < cells.size(); ++i) widths[i] = std::max(widths[i], cells[i].size());
  }
  auto line = [&](const std::string& name, const std::vector<std::string>& cells) {
    std::string out = "| " + name + std::string(first_width - name.size(), ' ');
    for (std::size_t i = 0; i < cells.size(); ++i)
      out += " | " + cells[i] + std::string(widths[i] - cells[i].size(), ' ');
    std::cout << out << " |\n";
  };
  std::vector<std::string> header;
  for (const auto& f : apps) header.push_back(f.label);
  line("figure", header);
  std::vector<std::string> rule;
  for (const auto w : widths) rule.push_back(std::string(w, '-'));
  std::cout << "|" << std::string(first_width + 2, '-');
  for (const auto w : widths) std::cout << "|" << std::string(w + 2, '-');
  std::cout << "|\n";
  for (const auto& [name, cells] : rows) line(name, cells);
  if (ceiling) {
    std::cout << "\nthe generator's own ceiling (an app that acknowledges at once): " << thousands(ceiling->flat_out)
              << " acks/s\n";
  }
}

std::string default_label(const std::string& command) {
  // The first word that is not a VAR=value assignment, without its directory.
  std::stringstream words(command);
  for (std::string word; words >> word;) {
    if (word.find('=') != std::string::npos || word == "exec" || word == "env") continue;
    return std::filesystem::path(word).filename().string();
  }
  return command;
}

int main_with_options(const Options& options) {
  test::TestPki pki;
  asio::io_context io(1);
  std::vector<Figures> results;
  std::optional<Figures> ceiling;
  std::exception_ptr failure;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        for (std::size_t i = 0; i < options.apps.size(); ++i) {
          const auto label = i < options.labels.size() ? options.labels[i] : default_label(options.apps[i]);
          Run run(io, options, pki, options.apps[i], label, false);
          results.push_back(co_await run.run());
        }
        if (options.ceiling) {
          Run run(io, options, pki, "exec '" + options.ceiling_app + "'", "ceiling", true);
          ceiling = co_await run.run();
        }
      },
      [&](std::exception_ptr e) {
        failure = e;
        io.stop();
      });
  io.run();
  if (failure) std::rethrow_exception(failure);
  const std::optional<double> ceiling_rate = ceiling ? std::optional(ceiling->flat_out) : std::nullopt;
  if (options.json) {
    if (results.size() == 1) {
      std::cout << to_json(results.front(), ceiling_rate).dump(2) << "\n";
    } else {
      nlohmann::json all = nlohmann::json::array();
      for (const auto& f : results) all.push_back(to_json(f, ceiling_rate));
      std::cout << nlohmann::json{{"apps", all},
                                  {"ceiling_acks_per_s",
                                   ceiling_rate ? nlohmann::json(*ceiling_rate) : nlohmann::json()}}
                       .dump(2)
                << "\n";
    }
  } else {
    print_table(options, results, ceiling);
  }
  return 0;
}

}  // namespace
}  // namespace microalign::bench

int main(int argc, char** argv) {
  using namespace microalign::bench;
  Options options;
  try {
    options = parse(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "slack_load: " << e.what() << "\n";
    return 2;
  }
  try {
    return main_with_options(options);
  } catch (const std::exception& e) {
    std::cerr << "slack_load: " << e.what() << "\n";
    return 1;
  }
}
