#include "service/api/prometheus_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "absl/base/macros.h"
#include "absl/strings/str_cat.h"
#include "common/string_view.h"

namespace smptrace::api {

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)),
      buckets_(upper_bounds_.size() + 1, 0) {
  ABSL_ASSERT(std::is_sorted(upper_bounds_.begin(), upper_bounds_.end()));
}

void Histogram::Observe(double value) {
  // The first bound >= value: Prometheus' buckets are "less than or equal".
  const size_t i =
      std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) -
      upper_bounds_.begin();
  absl::MutexLock lock(&mu_);
  ++buckets_[i];
  sum_ += value;
  ++count_;
}

HistogramCounts Histogram::counts() const {
  HistogramCounts out;
  out.upper_bounds = upper_bounds_;
  absl::MutexLock lock(&mu_);
  uint64_t running = 0;
  for (size_t i = 0; i < upper_bounds_.size(); ++i) {
    running += buckets_[i];
    out.cumulative.push_back(running);
  }
  out.sum = sum_;
  out.count = count_;
  return out;
}

std::vector<double> LatencySecondsBuckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
          0.1,    0.25,  0.5,    1,     2.5,  5,     10};
}

std::string FormatMetricValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::trunc(value) && std::fabs(value) < 9007199254740992.0) {
    return absl::StrCat(static_cast<int64_t>(value));
  }
  // Shortest round trip; positional ("0.0005", not "5e-04") where that
  // stays short.
  char buffer[64];
  const double magnitude = std::fabs(value);
  auto [end, error] =
      magnitude >= 1e-6 && magnitude < 1e15
          ? std::to_chars(buffer, buffer + sizeof(buffer), value,
                          std::chars_format::fixed)
          : std::to_chars(buffer, buffer + sizeof(buffer), value);
  ABSL_ASSERT(error == std::errc());
  return std::string(buffer, end);
}

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
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
  return out;
}

namespace {

const char* TypeName(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

// HELP text escapes only '\' and newline.
std::string EscapeHelp(std::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void PrometheusText::Family(std::string_view name, MetricType type,
                            std::string_view help) {
  const bool inserted = families_.emplace(name).second;
  ABSL_ASSERT(inserted);
  (void)inserted;
  absl::StrAppend(&text_, "# HELP ", ToAbsl(name), " ", EscapeHelp(help), "\n",
                  "# TYPE ", ToAbsl(name), " ", TypeName(type), "\n");
}

void PrometheusText::Sample(std::string_view name, const MetricLabels& labels,
                            double value) {
  Line(name, labels, "", value);
}

void PrometheusText::HistogramSamples(std::string_view name,
                                      const MetricLabels& labels,
                                      const HistogramCounts& counts) {
  const std::string bucket = absl::StrCat(ToAbsl(name), "_bucket");
  for (size_t i = 0; i < counts.upper_bounds.size(); ++i) {
    Line(bucket, labels, FormatMetricValue(counts.upper_bounds[i]),
         static_cast<double>(counts.cumulative[i]));
  }
  Line(bucket, labels, "+Inf", static_cast<double>(counts.count));
  Line(absl::StrCat(ToAbsl(name), "_sum"), labels, "", counts.sum);
  Line(absl::StrCat(ToAbsl(name), "_count"), labels, "",
       static_cast<double>(counts.count));
}

void PrometheusText::Line(std::string_view name, const MetricLabels& labels,
                          std::string_view le, double value) {
  absl::StrAppend(&text_, ToAbsl(name));
  if (!labels.empty() || !le.empty()) {
    text_ += '{';
    const char* separator = "";
    for (const auto& [label, label_value] : labels) {
      absl::StrAppend(&text_, separator, label, "=\"",
                      EscapeLabelValue(label_value), "\"");
      separator = ",";
    }
    if (!le.empty())
      absl::StrAppend(&text_, separator, "le=\"", ToAbsl(le), "\"");
    text_ += '}';
  }
  absl::StrAppend(&text_, " ", FormatMetricValue(value), "\n");
}

}  // namespace smptrace::api
