// Purchasing state reads: reorder policies and purchase orders. The reports
// built on them (usage, reorder suggestions) are read models in
// service/query/planning_reports.h.
#ifndef SMPTRACE_SERVICE_LEDGER_PLANNING_H_
#define SMPTRACE_SERVICE_LEDGER_PLANNING_H_

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "service/ledger/records.h"
#include "smptrace/v1/inventory.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

inline constexpr NumberedRecord kPurchaseOrderRecord{
    storage::keys::StateTag::kPurchaseOrder, domain::IdKind::kPurchaseOrder,
    "purchase order"};

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

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_PLANNING_H_
