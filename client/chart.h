// The manager's chart: weekly usage (bars) against stock at the end of each
// week (line) for one product, as a standalone SVG file.
#ifndef SMPTRACE_CLIENT_CHART_H_
#define SMPTRACE_CLIENT_CHART_H_

#include <string>

#include "smptrace/v1/inventory.pb.h"

namespace smptrace::client {

std::string UsageChartSvg(const v1::ProductUsage& usage);

}  // namespace smptrace::client

#endif  // SMPTRACE_CLIENT_CHART_H_
