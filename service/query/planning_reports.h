// Stock planning reports, read models over the state (service/query: they
// read, never write): usage rates from the usage index, reorder suggestions
// (domain/reorder.h over the stock and the open orders) and weekly usage
// against stock.
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

// Units of `gtin14` used in [from, to), at `location` (0 = anywhere).
absl::StatusOr<int64_t> CountUsage(const storage::Reader& reader,
                                   std::string_view gtin14, uint64_t location,
                                   absl::Time from, absl::Time to);

struct ReorderFilter {
  // 0 = the clinic-wide policies; otherwise that location's.
  uint64_t location = 0;
  std::string gtin;  // empty = every product with a policy
  bool include_all = false;
};

// One line per matching policy: what to order now, and why.
absl::StatusOr<std::vector<v1::ReorderLine>> SuggestReorder(
    const storage::Reader& reader, const ReorderFilter& filter, absl::Time now,
    absl::TimeZone zone);

// Weekly usage and end-of-week stock, Monday-based weeks in `zone`, the last
// one being the current (partial) week.
absl::StatusOr<v1::GetUsageResponse> WeeklyUsage(const storage::Reader& reader,
                                                 std::string_view gtin14,
                                                 uint64_t location, int weeks,
                                                 absl::Time now,
                                                 absl::TimeZone zone);

}  // namespace smptrace::query

#endif  // SMPTRACE_SERVICE_QUERY_PLANNING_REPORTS_H_
