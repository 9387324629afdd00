// Stock planning reads: reorder policies, purchase orders, usage rates from
// the usage index, reorder suggestions (domain/reorder.h over the stock
// and the open orders) and weekly usage against stock.
#ifndef SMPTRACE_SERVICE_LEDGER_PLANNING_H_
#define SMPTRACE_SERVICE_LEDGER_PLANNING_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "smptrace/v1/inventory.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

// location 0 = the clinic-wide policy.
absl::StatusOr<std::optional<v1::ReorderPolicy>> ReadReorderPolicy(
    const storage::Reader& reader, std::string_view gtin14, uint64_t location);
absl::StatusOr<std::vector<v1::ReorderPolicy>> ListReorderPolicies(
    const storage::Reader& reader);

absl::StatusOr<std::optional<v1::PurchaseOrder>> ReadPurchaseOrder(
    const storage::Reader& reader, uint64_t po);
// Every order, newest first; only `status` unless UNSPECIFIED.
absl::StatusOr<std::vector<v1::PurchaseOrder>> ListPurchaseOrders(
    const storage::Reader& reader, v1::PurchaseOrderStatus status);

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

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_PLANNING_H_
