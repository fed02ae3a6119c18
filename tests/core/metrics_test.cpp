#include <catch2/catch.hpp>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

#include "microalign/core/metrics.hpp"

namespace microalign::metrics {
namespace {

TEST_CASE("a counter renders with its HELP and TYPE lines, labels in the order they were named", "[metrics]") {
  Registry registry;
  auto& calls = registry.counter("microalign_calls_total", "Calls made.", {"method", "status"});
  calls.with({"chat.update", "200"}).inc();
  calls.with({"chat.postMessage", "429"}).inc(2);
  calls.with({"chat.postMessage", "200"}).inc(3);
  CHECK(registry.render_prometheus() ==
        "# HELP microalign_calls_total Calls made.\n"
        "# TYPE microalign_calls_total counter\n"
        "microalign_calls_total{method=\"chat.postMessage\",status=\"200\"} 3\n"
        "microalign_calls_total{method=\"chat.postMessage\",status=\"429\"} 2\n"
        "microalign_calls_total{method=\"chat.update\",status=\"200\"} 1\n");
}

TEST_CASE("families render in name order, and one without labels shows 0 before anything is recorded", "[metrics]") {
  Registry registry;
  registry.gauge("microalign_b", "B.");
  registry.counter("microalign_a_total", "A.");
  registry.counter("microalign_c_total", "C.", {"type"});  // no series yet: HELP and TYPE only
  CHECK(registry.render_prometheus() ==
        "# HELP microalign_a_total A.\n"
        "# TYPE microalign_a_total counter\n"
        "microalign_a_total 0\n"
        "# HELP microalign_b B.\n"
        "# TYPE microalign_b gauge\n"
        "microalign_b 0\n"
        "# HELP microalign_c_total C.\n"
        "# TYPE microalign_c_total counter\n");
}

TEST_CASE("label values escape backslash, double quote and line feed, and HELP escapes backslash and line feed",
          "[metrics]") {
  Registry registry;
  registry.counter("microalign_odd_total", "A \\ and a \"quote\"\nover two lines.", {"reason"})
      .with({"say \"hi\"\\\nbye"})
      .inc();
  CHECK(registry.render_prometheus() ==
        "# HELP microalign_odd_total A \\\\ and a \"quote\"\\nover two lines.\n"
        "# TYPE microalign_odd_total counter\n"
        "microalign_odd_total{reason=\"say \\\"hi\\\"\\\\\\nbye\"} 1\n");
}

TEST_CASE("a histogram's buckets are cumulative, end with +Inf, and agree with _count", "[metrics]") {
  Registry registry;
  auto& latency = registry.histogram("microalign_latency_seconds", "Latency.", {0.25, 0.5, 1}, {"kind"});
  auto& h = latency.with({"ack"});
  h.observe(0.25);  // on a bound: in that bucket (le is inclusive)
  h.observe(0.125);
  h.observe(std::chrono::milliseconds(500));
  h.observe(8.0);  // above every bound: +Inf only
  CHECK(registry.render_prometheus() ==
        "# HELP microalign_latency_seconds Latency.\n"
        "# TYPE microalign_latency_seconds histogram\n"
        "microalign_latency_seconds_bucket{kind=\"ack\",le=\"0.25\"} 2\n"
        "microalign_latency_seconds_bucket{kind=\"ack\",le=\"0.5\"} 3\n"
        "microalign_latency_seconds_bucket{kind=\"ack\",le=\"1\"} 3\n"
        "microalign_latency_seconds_bucket{kind=\"ack\",le=\"+Inf\"} 4\n"
        "microalign_latency_seconds_sum{kind=\"ack\"} 8.875\n"
        "microalign_latency_seconds_count{kind=\"ack\"} 4\n");
}

TEST_CASE("a histogram without labels has only le in its buckets", "[metrics]") {
  Registry registry;
  registry.histogram("microalign_batch", "Batch.", {1, 2}).with({}).observe(2);
  const auto text = registry.render_prometheus();
  CHECK(text.find("microalign_batch_bucket{le=\"1\"} 0\n") != std::string::npos);
  CHECK(text.find("microalign_batch_bucket{le=\"2\"} 1\n") != std::string::npos);
  CHECK(text.find("microalign_batch_bucket{le=\"+Inf\"} 1\n") != std::string::npos);
  CHECK(text.find("microalign_batch_sum 2\n") != std::string::npos);
  CHECK(text.find("microalign_batch_count 1\n") != std::string::npos);
}

TEST_CASE("gauges go up and down and render floats as Prometheus reads them", "[metrics]") {
  Registry registry;
  auto& family = registry.gauge("microalign_g", "G.", {"k"});
  family.with({"a"}).set(2.5);
  family.with({"a"}).add(-1);
  family.with({"b"}).set(std::numeric_limits<double>::infinity());
  family.with({"c"}).set(std::numeric_limits<double>::quiet_NaN());
  family.with({"d"}).set(1e-7);
  const auto text = registry.render_prometheus();
  CHECK(text.find("microalign_g{k=\"a\"} 1.5\n") != std::string::npos);
  CHECK(text.find("microalign_g{k=\"b\"} +Inf\n") != std::string::npos);
  CHECK(text.find("microalign_g{k=\"c\"} NaN\n") != std::string::npos);
  CHECK(text.find("microalign_g{k=\"d\"} 1e-07\n") != std::string::npos);
}

TEST_CASE("asking for a family again gives the same one, and asking for it differently is a mistake", "[metrics]") {
  Registry registry;
  auto& first = registry.counter("microalign_x_total", "X.", {"platform"});
  CHECK(&registry.counter("microalign_x_total", "X.", {"platform"}) == &first);
  CHECK(&first.with({"slack"}) == &first.with({"slack"}));
  CHECK_THROWS_AS(registry.gauge("microalign_x_total", "X.", {"platform"}), std::logic_error);
  CHECK_THROWS_AS(registry.counter("microalign_x_total", "X.", {"team"}), std::logic_error);
  registry.histogram("microalign_h", "H.", {1, 2});
  CHECK_THROWS_AS(registry.histogram("microalign_h", "H.", {1, 3}), std::logic_error);
}

TEST_CASE("names, label names, label counts and bounds Prometheus cannot take are refused", "[metrics]") {
  Registry registry;
  CHECK_THROWS_AS(registry.counter("9lives_total", "."), std::invalid_argument);
  CHECK_THROWS_AS(registry.counter("microalign-x", "."), std::invalid_argument);
  CHECK_THROWS_AS(registry.counter("microalign_x_total", ".", {"__name"}), std::invalid_argument);
  CHECK_THROWS_AS(registry.counter("microalign_x_total", ".", {"a-b"}), std::invalid_argument);
  CHECK_THROWS_AS(registry.histogram("microalign_h", ".", {1}, {"le"}), std::invalid_argument);
  CHECK_THROWS_AS(registry.histogram("microalign_h", ".", {2, 1}), std::invalid_argument);
  auto& family = registry.counter("microalign_y_total", ".", {"a", "b"});
  CHECK_THROWS_AS(family.with({"only one"}), std::invalid_argument);
}

TEST_CASE("HTTP statuses become label values without allocating, and no answer is \"error\"", "[metrics]") {
  CHECK(StatusLabel(200).view() == "200");
  CHECK(StatusLabel(429).view() == "429");
  CHECK(StatusLabel(0).view() == "error");
}

TEST_CASE("recording from several threads while rendering loses nothing", "[metrics]") {
  Registry registry;
  auto& counter = registry.counter("microalign_n_total", "N.").with({});
  auto& histogram = registry.histogram("microalign_h_seconds", "H.", buckets::commit()).with({});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        counter.inc();
        histogram.observe(0.001 * (i % 10));
      }
    });
  }
  for (int i = 0; i < 20; ++i) CHECK_FALSE(registry.render_prometheus().empty());
  for (auto& t : threads) t.join();
  CHECK(counter.value() == 40000);
  const auto snapshot = histogram.snapshot();
  CHECK(snapshot.count() == 40000);
  CHECK(snapshot.sum == Approx(4 * 10000 * 0.0045));
}

}  // namespace
}  // namespace microalign::metrics
