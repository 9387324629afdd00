// The Prometheus text exposition format (version 0.0.4), written by hand:
// metric families with their HELP and TYPE lines, counter and gauge samples,
// and histograms as cumulative `_bucket{le="…"}` series with `_sum` and
// `_count`. A thread-safe fixed-bucket Histogram to observe into.
//
// Why our own: Debian 12 packages prometheus-cpp 1.0.1, but its only
// development package (prometheus-cpp-dev) depends on its push and pull
// modules, civetweb (a second embedded HTTP server beside cpp-httplib) and
// libcurl's development files; we need none of them, only this format.
//
//   PrometheusText out;
//   out.Family("smptrace_ledger_commands_total", MetricType::kCounter,
//              "Commands the ledger answered.");
//   out.Sample("smptrace_ledger_commands_total", {}, 42);
//   std::string body = out.text();  // served as kPrometheusContentType
#ifndef SMPTRACE_SERVICE_API_PROMETHEUS_TEXT_H_
#define SMPTRACE_SERVICE_API_PROMETHEUS_TEXT_H_

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace smptrace::api {

inline constexpr char kPrometheusContentType[] =
    "text/plain; version=0.0.4; charset=utf-8";

enum class MetricType { kCounter, kGauge, kHistogram };

// Label name/value pairs, in the order they are written. Names must be
// valid Prometheus label names; values are escaped here.
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// What a Histogram holds at one moment: per bucket the count of
// observations <= its upper bound (cumulative), then their sum and count.
struct HistogramCounts {
  std::vector<double> upper_bounds;  // ascending, without +Inf
  std::vector<uint64_t> cumulative;  // one per upper bound
  double sum = 0;
  uint64_t count = 0;
};

// Observations in fixed buckets. Thread-safe.
class Histogram {
 public:
  // REQUIRES: upper_bounds ascending and finite.
  explicit Histogram(std::vector<double> upper_bounds);
  void Observe(double value);
  HistogramCounts counts() const;

 private:
  const std::vector<double> upper_bounds_;
  mutable absl::Mutex mu_;
  std::vector<uint64_t> buckets_ ABSL_GUARDED_BY(mu_);  // not cumulative
  double sum_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t count_ ABSL_GUARDED_BY(mu_) = 0;
};

// Bounds for latencies in seconds: 0.5 ms to 10 s.
std::vector<double> LatencySecondsBuckets();

// One exposition, built family by family. Not thread-safe.
class PrometheusText {
 public:
  // Starts the family `name` (HELP, then TYPE). Each family once, and its
  // samples right after it. REQUIRES: a valid metric name, not seen before.
  void Family(std::string_view name, MetricType type, std::string_view help);
  // One sample of the current family (a counter's or gauge's `name` is the
  // family's name).
  void Sample(std::string_view name, const MetricLabels& labels, double value);
  // The series of one histogram of the current family `name`:
  // name_bucket{labels…,le="…"} for each bound and +Inf, name_sum,
  // name_count.
  void HistogramSamples(std::string_view name, const MetricLabels& labels,
                        const HistogramCounts& counts);

  const std::string& text() const { return text_; }

 private:
  void Line(std::string_view name, const MetricLabels& labels,
            std::string_view extra_label, double value);

  std::string text_;
  std::set<std::string, std::less<>> families_;
};

// A sample value as the format writes it: integers without exponent or
// fraction, others in the shortest form that reads back the same, and
// "+Inf", "-Inf", "NaN".
std::string FormatMetricValue(double value);
// A label value with '\', '"' and newline escaped.
std::string EscapeLabelValue(std::string_view value);

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_PROMETHEUS_TEXT_H_
