// Stock planning reports, read models over the state (service/query: they
// read, never write): weekly usage against stock. The reorder suggestion is
// the purchasing aggregate's read (service/ledger/purchasing/suggestion.h):
// a purchase order made from the suggestion runs it inside the writer.
#ifndef SMPTRACE_SERVICE_QUERY_PLANNING_REPORTS_H_
#define SMPTRACE_SERVICE_QUERY_PLANNING_REPORTS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "smptrace/v1/inventory.pb.h"
#include "storage/store.h"

namespace smptrace::query {

// Weekly usage and end-of-week stock, Monday-based weeks in `zone`, the last
// one being the current (partial) week.
absl::StatusOr<v1::GetUsageResponse> WeeklyUsage(const storage::Reader& reader,
                                                 std::string_view gtin14,
                                                 uint64_t location, int weeks,
                                                 absl::Time now,
                                                 absl::TimeZone zone);

}  // namespace smptrace::query

#endif  // SMPTRACE_SERVICE_QUERY_PLANNING_REPORTS_H_
