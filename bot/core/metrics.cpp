#include "microalign/core/metrics.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>
#include <type_traits>

namespace microalign::metrics {
namespace {

bool is_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool is_label_name(std::string_view name) {
  if (name.empty() || name.starts_with("__")) return false;  // reserved for Prometheus itself
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string_view type_name(Type type) {
  switch (type) {
    case Type::counter:
      return "counter";
    case Type::gauge:
      return "gauge";
    case Type::histogram:
      return "histogram";
  }
  return "untyped";
}

// HELP text: a backslash and a line feed are escaped.
void append_help(std::string& out, std::string_view help) {
  for (const char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

// A label value: a backslash, a double quote and a line feed are escaped.
void append_label_value(std::string& out, std::string_view value) {
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

// As Prometheus writes floats: the shortest form that reads back the same, NaN, +Inf, -Inf.
void append_number(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buffer[32];
    const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
    out.append(buffer, end);
  }
}

void append_number(std::string& out, std::uint64_t v) {
  char buffer[24];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, v).ptr;
  out.append(buffer, end);
}

// `name{a="x",b="y"}` (and `le` last, for a histogram's bucket), or just `name` without labels.
void append_series_name(std::string& out, std::string_view name, std::string_view suffix,
                        const std::vector<std::string>& label_names, const std::vector<std::string>& values,
                        std::string_view le = {}) {
  out += name;
  out += suffix;
  if (label_names.empty() && le.empty()) return;
  out += '{';
  for (std::size_t i = 0; i < label_names.size(); ++i) {
    if (i > 0) out += ',';
    out += label_names[i];
    out += "=\"";
    append_label_value(out, values[i]);
    out += '"';
  }
  if (!le.empty()) {
    if (!label_names.empty()) out += ',';
    out += "le=\"";
    out += le;
    out += '"';
  }
  out += '}';
}

void append_sample(std::string& out, const FamilyBase& family, const std::vector<std::string>& values,
                   const Counter& counter) {
  append_series_name(out, family.name(), {}, family.label_names(), values);
  out += ' ';
  append_number(out, counter.value());
  out += '\n';
}

void append_sample(std::string& out, const FamilyBase& family, const std::vector<std::string>& values,
                   const Gauge& gauge) {
  append_series_name(out, family.name(), {}, family.label_names(), values);
  out += ' ';
  append_number(out, gauge.value());
  out += '\n';
}

void append_sample(std::string& out, const FamilyBase& family, const std::vector<std::string>& values,
                   const Histogram& histogram) {
  const auto snapshot = histogram.snapshot();
  const auto& bounds = histogram.bounds();
  for (std::size_t i = 0; i <= bounds.size(); ++i) {
    std::string le;
    if (i < bounds.size()) {
      append_number(le, bounds[i]);
    } else {
      le = "+Inf";
    }
    append_series_name(out, family.name(), "_bucket", family.label_names(), values, le);
    out += ' ';
    append_number(out, snapshot.cumulative[i]);
    out += '\n';
  }
  append_series_name(out, family.name(), "_sum", family.label_names(), values);
  out += ' ';
  append_number(out, snapshot.sum);
  out += '\n';
  append_series_name(out, family.name(), "_count", family.label_names(), values);
  out += ' ';
  append_number(out, snapshot.count());
  out += '\n';
}

}  // namespace

// ---- Histogram

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {
  for (std::size_t i = 0; i < bounds_.size(); ++i) {
    if (!std::isfinite(bounds_[i]) || (i > 0 && bounds_[i] <= bounds_[i - 1])) {
      throw std::invalid_argument("a histogram's bounds must be finite and increasing");
    }
  }
}

void Histogram::observe(double value) noexcept {
  if (std::isnan(value)) return;
  // A dozen bounds: a linear scan is as fast as a binary search, and simpler.
  std::size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.cumulative.resize(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative[i] = running;
  }
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

namespace buckets {
std::vector<double> latency() { return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 3, 5, 10}; }
std::vector<double> commit() { return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}; }
std::vector<double> batch() { return {1, 2, 4, 8, 16, 32, 64, 128, 256, 512}; }
}  // namespace buckets

// ---- Families

FamilyBase::FamilyBase(std::string name, std::string help, Type type, std::vector<std::string> label_names,
                       std::vector<double> bounds)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(type),
      label_names_(std::move(label_names)),
      bounds_(std::move(bounds)) {}

template <typename Metric>
Family<Metric>::Family(std::string name, std::string help, Type type, std::vector<std::string> label_names,
                       std::vector<double> bounds)
    : FamilyBase(std::move(name), std::move(help), type, std::move(label_names), std::move(bounds)) {
  if (label_names_.empty()) with({});
}

template <typename Metric>
Metric& Family<Metric>::with(std::span<const std::string_view> values) {
  if (values.size() != label_names_.size()) {
    throw std::invalid_argument(name_ + " takes " + std::to_string(label_names_.size()) + " label values");
  }
  std::lock_guard lock(mutex_);
  if (const auto found = series_.find(values); found != series_.end()) return *found->second;
  std::unique_ptr<Metric> made;
  if constexpr (std::is_same_v<Metric, Histogram>) {
    made = std::make_unique<Histogram>(bounds_);
  } else {
    made = std::make_unique<Metric>();
  }
  auto& metric = *made;
  series_.emplace(std::vector<std::string>(values.begin(), values.end()), std::move(made));
  return metric;
}

template <typename Metric>
void Family<Metric>::render(std::string& out) const {
  out += "# HELP ";
  out += name_;
  out += ' ';
  append_help(out, help_);
  out += "\n# TYPE ";
  out += name_;
  out += ' ';
  out += type_name(type_);
  out += '\n';
  std::lock_guard lock(mutex_);
  for (const auto& [values, metric] : series_) append_sample(out, *this, values, *metric);
}

template class Family<Counter>;
template class Family<Gauge>;
template class Family<Histogram>;

// ---- Registry

template <typename Metric>
Family<Metric>& Registry::family(std::string_view name, std::string_view help, Type type,
                                 std::vector<std::string> label_names, std::vector<double> bounds) {
  if (!is_metric_name(name)) throw std::invalid_argument("not a metric name: " + std::string(name));
  for (const auto& label : label_names) {
    if (!is_label_name(label) || (type == Type::histogram && label == "le")) {
      throw std::invalid_argument(std::string(name) + ": not a label name: " + label);
    }
  }
  if (type == Type::histogram) Histogram check(bounds);  // throws for bounds it cannot take
  std::lock_guard lock(mutex_);
  if (const auto found = families_.find(name); found != families_.end()) {
    auto* same = dynamic_cast<Family<Metric>*>(found->second.get());
    if (!same || same->type() != type || same->label_names() != label_names || same->bounds() != bounds) {
      throw std::logic_error("metric " + std::string(name) + " is already registered differently");
    }
    return *same;
  }
  auto made = std::make_unique<Family<Metric>>(std::string(name), std::string(help), type, std::move(label_names),
                                               std::move(bounds));
  auto& family = *made;
  families_.emplace(std::string(name), std::move(made));
  return family;
}

Family<Counter>& Registry::counter(std::string_view name, std::string_view help, std::vector<std::string> label_names) {
  return family<Counter>(name, help, Type::counter, std::move(label_names), {});
}

Family<Gauge>& Registry::gauge(std::string_view name, std::string_view help, std::vector<std::string> label_names) {
  return family<Gauge>(name, help, Type::gauge, std::move(label_names), {});
}

Family<Histogram>& Registry::histogram(std::string_view name, std::string_view help, std::vector<double> bounds,
                                       std::vector<std::string> label_names) {
  return family<Histogram>(name, help, Type::histogram, std::move(label_names), std::move(bounds));
}

std::string Registry::render_prometheus() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, family] : families_) family->render(out);
  return out;
}

Registry& default_registry() {
  static Registry registry;
  return registry;
}

StatusLabel::StatusLabel(unsigned http_status) {
  if (http_status == 0) {
    constexpr std::string_view error = "error";
    error.copy(text_, error.size());
    size_ = error.size();
    return;
  }
  size_ = static_cast<std::size_t>(std::to_chars(text_, text_ + sizeof text_, http_status).ptr - text_);
}

}  // namespace microalign::metrics
