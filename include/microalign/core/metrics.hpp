// Counters, gauges and histograms for the operator, and their Prometheus text exposition (what
// GET /metrics serves). Pure: no I/O, only counting and writing a string.
//
// It lives in core because every layer records something — the SQLite engine's storage thread
// (commit latency), the application (outbox sends, digests, nudges), the adapters (envelopes,
// Web API and connector calls) — and every layer already depends on core: instrumenting adds no
// dependency between layers, and being pure it keeps core's one rule (no I/O).
//
//   auto& calls = registry.counter("microalign_slack_api_calls_total", "Web API calls",
//                                  {"method", "status"});
//   calls.with({"chat.postMessage", "200"}).inc();
//   auto& sent = registry.counter("microalign_outbox_sends_total", "…", {"platform", "outcome"})
//                    .with({"slack", "sent"});   // resolved once, when its owner is made
//   sent.inc();                                  // on the hot path: one relaxed atomic add
//   std::string text = registry.render_prometheus();
//
// Cheap enough for the hot paths (every envelope, every commit), from any thread: a series is
// resolved once, where its labels are known in advance, and recording on it is then an atomic
// add — no lock, no allocation, no formatting. A series whose labels are only known at the
// event (a Web API method and its status) is found under its family's lock, without allocating
// once it exists. Rendering takes each family's lock in turn; it never stops a recording.
//
// Label values come from fixed sets chosen by the code — method names, types, statuses,
// reasons — never user text, ids, URLs or secrets: every label set becomes a series kept for the
// life of the process, and the endpoint is for anyone who can reach the listener.
//
// Like Prometheus' client libraries, there is one process-wide registry, default_registry(),
// which `microalign run` serves; components that are cheap to hand one to (the commit queue,
// the application's service) take a Registry&, so a test can count on a registry of its own.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace microalign::metrics {

// Served with the exposition: Prometheus' text format, version 0.0.4.
inline constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

// Only ever goes up (a `_total`).
class Counter {
 public:
  void inc(std::uint64_t n = 1) noexcept { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// A value that goes up and down (a depth, an age, 1 for running).
class Gauge {
 public:
  void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
  void add(double d) noexcept { value_.fetch_add(d, std::memory_order_relaxed); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// Observations counted into fixed buckets. `bounds` are the buckets' upper bounds, inclusive
// (Prometheus' `le`), finite and increasing; the +Inf bucket is implied.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);

  void observe(double value) noexcept;  // NaN is not an observation: ignored
  template <typename Rep, typename Period>
  void observe(std::chrono::duration<Rep, Period> d) noexcept {
    observe(std::chrono::duration<double>(d).count());
  }

  struct Snapshot {
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf: what is at or below it
    double sum = 0;
    std::uint64_t count() const { return cumulative.back(); }
  };
  // A consistent count: the +Inf bucket is the sum of the buckets read (the sum may be a few
  // observations ahead or behind while others record).
  Snapshot snapshot() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // not cumulative; bounds_.size() + 1
  std::atomic<double> sum_{0.0};
};

// The usual buckets, in seconds or counts.
namespace buckets {
// From 1 ms to 10 s: Slack wants an ack within 3 s, Teams an answer within 15 s.
std::vector<double> latency();
// From 0.5 ms to 5 s: one fsync'd SQLite commit.
std::vector<double> commit();
// 1, 2, 4 … 512: how many pieces of work share one commit.
std::vector<double> batch();
}  // namespace buckets

enum class Type { counter, gauge, histogram };

class FamilyBase {
 public:
  virtual ~FamilyBase() = default;
  const std::string& name() const { return name_; }
  const std::string& help() const { return help_; }
  Type type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }
  const std::vector<double>& bounds() const { return bounds_; }  // histograms

  // Its HELP and TYPE lines and every series, in the order of their label values.
  virtual void render(std::string& out) const = 0;

 protected:
  FamilyBase(std::string name, std::string help, Type, std::vector<std::string> label_names,
             std::vector<double> bounds);

  std::string name_;
  std::string help_;
  Type type_;
  std::vector<std::string> label_names_;
  std::vector<double> bounds_;
};

// Orders label sets given as any range of strings, so a series is found by string_views
// without making a key.
struct LabelsLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                        [](std::string_view x, std::string_view y) { return x < y; });
  }
};

// One metric's series, one per label set.
template <typename Metric>
class Family final : public FamilyBase {
 public:
  Family(std::string name, std::string help, Type, std::vector<std::string> label_names, std::vector<double> bounds);

  // The series for these label values (one per label name, in order), made the first time.
  // Throws std::invalid_argument when the number of values is not the number of names.
  Metric& with(std::span<const std::string_view> values);
  Metric& with(std::initializer_list<std::string_view> values) {
    return with(std::span<const std::string_view>(values.begin(), values.size()));
  }

  void render(std::string& out) const override;

 private:
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>, LabelsLess> series_;
};

class Registry {
 public:
  Registry() = default;
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // The family named `name`, made the first time. Asked again with the same type, label names
  // (and bounds), it is the same family: components made more than once (an outbox sender per
  // platform, a test's second bot) share their series. Throws std::invalid_argument for a name
  // or label name Prometheus does not accept, std::logic_error for a name already used
  // differently. A family without labels has its one series from the start, so it shows 0.
  Family<Counter>& counter(std::string_view name, std::string_view help, std::vector<std::string> label_names = {});
  Family<Gauge>& gauge(std::string_view name, std::string_view help, std::vector<std::string> label_names = {});
  Family<Histogram>& histogram(std::string_view name, std::string_view help, std::vector<double> bounds,
                               std::vector<std::string> label_names = {});

  // Every family in name order, in Prometheus' text exposition format (version 0.0.4).
  std::string render_prometheus() const;

 private:
  template <typename Metric>
  Family<Metric>& family(std::string_view name, std::string_view help, Type, std::vector<std::string> label_names,
                         std::vector<double> bounds);

  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<FamilyBase>, std::less<>> families_;
};

// The process's registry: what `microalign run` serves on GET /metrics.
Registry& default_registry();

// An HTTP status as a label value ("200", "429"), or "error" when there was no HTTP answer
// (status 0: the connection, TLS or a timeout failed). Without allocating.
class StatusLabel {
 public:
  explicit StatusLabel(unsigned http_status);
  std::string_view view() const { return {text_, size_}; }
  operator std::string_view() const { return view(); }

 private:
  char text_[8];
  std::size_t size_;
};

}  // namespace microalign::metrics
