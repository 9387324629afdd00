#include "service/api/prometheus_text.h"

#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smptrace::api {
namespace {

TEST(PrometheusText, WritesHelpTypeAndSamplesOfEachFamily) {
  PrometheusText out;
  out.Family("smptrace_things_total", MetricType::kCounter, "Things seen.");
  out.Sample("smptrace_things_total", {{"kind", "a"}}, 3);
  out.Sample("smptrace_things_total", {{"kind", "b"}}, 0);
  out.Family("smptrace_depth", MetricType::kGauge, "How deep.");
  out.Sample("smptrace_depth", {}, 2.5);
  EXPECT_EQ(out.text(),
            "# HELP smptrace_things_total Things seen.\n"
            "# TYPE smptrace_things_total counter\n"
            "smptrace_things_total{kind=\"a\"} 3\n"
            "smptrace_things_total{kind=\"b\"} 0\n"
            "# HELP smptrace_depth How deep.\n"
            "# TYPE smptrace_depth gauge\n"
            "smptrace_depth 2.5\n");
}

TEST(PrometheusText, EscapesLabelValuesAndHelp) {
  PrometheusText out;
  out.Family("m", MetricType::kGauge, "back\\slash and\nnewline \"kept\"");
  out.Sample("m", {{"l", "a\"b\\c\nd"}}, 1);
  EXPECT_EQ(out.text(),
            "# HELP m back\\\\slash and\\nnewline \"kept\"\n"
            "# TYPE m gauge\n"
            "m{l=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(PrometheusText, WritesHistogramAsCumulativeBucketsSumAndCount) {
  Histogram h({0.25, 1});
  h.Observe(0.125);
  h.Observe(0.25);  // on a bound: counted in that bucket ("le")
  h.Observe(0.5);
  h.Observe(7);
  PrometheusText out;
  out.Family("rpc_seconds", MetricType::kHistogram, "Latency.");
  out.HistogramSamples("rpc_seconds", {{"method", "Scan"}}, h.counts());
  EXPECT_EQ(out.text(),
            "# HELP rpc_seconds Latency.\n"
            "# TYPE rpc_seconds histogram\n"
            "rpc_seconds_bucket{method=\"Scan\",le=\"0.25\"} 2\n"
            "rpc_seconds_bucket{method=\"Scan\",le=\"1\"} 3\n"
            "rpc_seconds_bucket{method=\"Scan\",le=\"+Inf\"} 4\n"
            "rpc_seconds_sum{method=\"Scan\"} 7.875\n"
            "rpc_seconds_count{method=\"Scan\"} 4\n");
}

TEST(PrometheusText, EmptyHistogramHasZeroBuckets) {
  Histogram h({1});
  PrometheusText out;
  out.Family("h", MetricType::kHistogram, "x");
  out.HistogramSamples("h", {}, h.counts());
  EXPECT_THAT(out.text(), ::testing::HasSubstr("h_bucket{le=\"1\"} 0\n"
                                               "h_bucket{le=\"+Inf\"} 0\n"
                                               "h_sum 0\n"
                                               "h_count 0\n"));
}

TEST(FormatMetricValue, IntegersPlainOthersShortestSpecialsNamed) {
  EXPECT_EQ(FormatMetricValue(0), "0");
  EXPECT_EQ(FormatMetricValue(1234567890123), "1234567890123");
  EXPECT_EQ(FormatMetricValue(-4), "-4");
  EXPECT_EQ(FormatMetricValue(0.0005), "0.0005");
  EXPECT_EQ(FormatMetricValue(0.1), "0.1");
  EXPECT_EQ(FormatMetricValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatMetricValue(-std::numeric_limits<double>::infinity()),
            "-Inf");
  EXPECT_EQ(FormatMetricValue(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

}  // namespace
}  // namespace smptrace::api
