#include "client/chart.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "client/output.h"

namespace smptrace::client {
namespace {

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string UsageChartSvg(const v1::ProductUsage& usage) {
  constexpr int kWidth = 760, kHeight = 360;
  constexpr int kLeft = 60, kRight = 20, kTop = 50, kBottom = 60;
  const int plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  const int n = std::max(1, usage.weeks_size());
  int64_t top = 1;
  for (const auto& w : usage.weeks()) {
    top = std::max({top, w.used(), w.in_stock_at_end()});
  }
  top = ((top + 9) / 10) * 10;  // round the axis up to a multiple of 10
  auto y = [&](int64_t v) {
    return kTop + plot_h -
           static_cast<double>(v) * plot_h / static_cast<double>(top);
  };
  const double slot = static_cast<double>(plot_w) / n;

  std::string svg = absl::StrFormat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
      "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" "
      "font-size=\"12\">\n<rect width=\"100%%\" height=\"100%%\" "
      "fill=\"white\"/>\n",
      kWidth, kHeight, kWidth, kHeight);
  absl::StrAppend(&svg, "<text x=\"", kLeft,
                  "\" y=\"24\" font-size=\"15\" "
                  "font-weight=\"bold\">",
                  Escape(usage.product_name()), " (", usage.gtin(),
                  "): weekly use vs stock</text>\n");
  // Grid and axis labels.
  for (int i = 0; i <= 5; ++i) {
    const int64_t v = top * i / 5;
    absl::StrAppendFormat(&svg,
                          "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                          "stroke=\"#ddd\"/>\n<text x=\"%d\" y=\"%.1f\" "
                          "text-anchor=\"end\">%d</text>\n",
                          kLeft, y(v), kLeft + plot_w, y(v), kLeft - 6,
                          y(v) + 4, v);
  }
  // Bars: units used per week.
  std::string line;
  for (int i = 0; i < usage.weeks_size(); ++i) {
    const auto& w = usage.weeks(i);
    const double x = kLeft + i * slot;
    absl::StrAppendFormat(
        &svg,
        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
        "fill=\"#6a9fd4\"><title>week of %s: %d used</title></rect>\n",
        x + slot * 0.15, y(w.used()), slot * 0.7, y(0) - y(w.used()),
        FormatDay(w.week_start()), w.used());
    absl::StrAppendFormat(&line, "%s%.1f,%.1f", i == 0 ? "" : " ", x + slot / 2,
                          y(w.in_stock_at_end()));
    if (i % std::max(1, n / 8) == 0) {
      absl::StrAppendFormat(
          &svg,
          "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s"
          "</text>\n",
          x + slot / 2, kTop + plot_h + 18,
          FormatDay(w.week_start()).substr(5));
    }
  }
  absl::StrAppend(
      &svg, "<polyline points=\"", line,
      "\" fill=\"none\" stroke=\"#d4462a\" stroke-width=\"2.5\"/>\n");
  for (int i = 0; i < usage.weeks_size(); ++i) {
    absl::StrAppendFormat(&svg,
                          "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
                          "fill=\"#d4462a\"/>\n",
                          kLeft + i * slot + slot / 2,
                          y(usage.weeks(i).in_stock_at_end()));
  }
  // Legend.
  const int ly = kHeight - 18;
  absl::StrAppendFormat(
      &svg,
      "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"10\" fill=\"#6a9fd4\"/>"
      "<text x=\"%d\" y=\"%d\">units used per week (Monday-Sunday)</text>\n"
      "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#d4462a\" "
      "stroke-width=\"2.5\"/><text x=\"%d\" y=\"%d\">in stock at week "
      "end</text>\n",
      kLeft, ly - 9, kLeft + 20, ly, kLeft + 300, ly - 4, kLeft + 320, ly - 4,
      kLeft + 326, ly);
  absl::StrAppend(&svg, "</svg>\n");
  return svg;
}

}  // namespace smptrace::client
