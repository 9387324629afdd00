// The reorder suggestion over the state: for each reorder policy, what to
// order now and why (domain/reorder.h over the usage rate, the usable stock
// and the open orders). Read by InventoryService.SuggestReorder on a
// snapshot, and inside the writer when a purchase order is made
// from_suggestion.
#ifndef SMPTRACE_SERVICE_LEDGER_PURCHASING_SUGGESTION_H_
#define SMPTRACE_SERVICE_LEDGER_PURCHASING_SUGGESTION_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "smptrace/v1/inventory.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

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

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_PURCHASING_SUGGESTION_H_
