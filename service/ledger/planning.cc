#include "service/ledger/planning.h"

#include "common/status_macros.h"
#include "service/ledger/records.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using storage::Cf;

}  // namespace

absl::StatusOr<std::optional<v1::ReorderPolicy>> ReadReorderPolicy(
    const storage::Reader& reader, std::string_view gtin14, uint64_t location) {
  return ReadRecord<v1::ReorderPolicy>(reader, Cf::kState,
                                       keys::ReorderPolicyKey(gtin14, location),
                                       "reorder policy");
}

absl::StatusOr<std::vector<v1::ReorderPolicy>> ListReorderPolicies(
    const storage::Reader& reader) {
  return ReadAllRecords<v1::ReorderPolicy>(
      reader, keys::StateTag::kReorderPolicy, "reorder policy");
}

absl::StatusOr<std::optional<v1::PurchaseOrder>> ReadPurchaseOrder(
    const storage::Reader& reader, uint64_t po) {
  return ReadNumbered<v1::PurchaseOrder>(reader, kPurchaseOrderRecord, po);
}

absl::StatusOr<std::vector<v1::PurchaseOrder>> ListPurchaseOrders(
    const storage::Reader& reader, v1::PurchaseOrderStatus status) {
  std::vector<v1::PurchaseOrder> out;
  const std::string prefix = keys::StatePrefix(keys::StateTag::kPurchaseOrder);
  SMPTRACE_RETURN_IF_ERROR(reader.ScanReverse(
      Cf::kState, prefix, keys::PrefixEnd(prefix),
      [&](std::string_view, std::string_view value) -> absl::StatusOr<bool> {
        v1::PurchaseOrder po;
        SMPTRACE_RETURN_IF_ERROR(ParseRecord(value, "purchase order", &po));
        if (status == v1::PURCHASE_ORDER_STATUS_UNSPECIFIED ||
            po.status() == status) {
          out.push_back(std::move(po));
        }
        return true;
      }));
  return out;
}

}  // namespace smptrace::ledger
