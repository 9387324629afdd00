#include "service/ledger/projection.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/catalog_state.h"
#include "service/ledger/dates.h"
#include "service/ledger/inventory_projection.h"
#include "service/ledger/planning_decisions.h"
#include "service/ledger/principals.h"
#include "service/ledger/recall.h"
#include "service/ledger/records.h"
#include "service/ledger/session_projection.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using storage::Cf;

absl::Status ApplyProduct(const v1::Product& product, storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(auto previous, ReadProduct(txn, product.gtin()));
  if (previous.has_value() && !previous->hibc_id().empty() &&
      previous->hibc_id() != product.hibc_id()) {
    txn.Delete(Cf::kIndex, keys::ProductByHibcKey(previous->hibc_id()));
  }
  if (!product.hibc_id().empty()) {
    txn.Put(Cf::kIndex, keys::ProductByHibcKey(product.hibc_id()),
            product.gtin());
  }
  std::string bytes = Serialize(product);
  txn.Put(Cf::kState, keys::ProductKey(product.gtin()), bytes);
  txn.Put(Cf::kState,
          keys::ProductVersionKey(product.gtin(), product.version()), bytes);
  return absl::OkStatus();
}

absl::Status ApplySupplier(const v1::Supplier& supplier,
                           storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t id, domain::ParseId(IdKind::kSupplier, supplier.supplier_id(),
                                   "supplier_id"));
  std::string bytes = Serialize(supplier);
  txn.Put(Cf::kState, keys::SupplierKey(id), bytes);
  txn.Put(Cf::kState, keys::SupplierVersionKey(id, supplier.version()), bytes);
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> ParentNumber(const v1::Location& location) {
  if (location.parent_id().empty()) return uint64_t{0};
  return domain::ParseId(IdKind::kLocation, location.parent_id(), "parent_id");
}

absl::Status ApplyLocation(const v1::Location& location,
                           storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t id, domain::ParseId(IdKind::kLocation, location.location_id(),
                                   "location_id"));
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t parent, ParentNumber(location));
  SMPTRACE_ASSIGN_OR_RETURN(auto previous, ReadLocation(txn, id));
  if (previous.has_value()) {
    SMPTRACE_ASSIGN_OR_RETURN(uint64_t old_parent, ParentNumber(*previous));
    if (old_parent != 0 && old_parent != parent) {
      txn.Delete(Cf::kIndex, keys::LocationByParentKey(old_parent, id));
    }
  }
  if (parent != 0)
    txn.Put(Cf::kIndex, keys::LocationByParentKey(parent, id), "");
  std::string bytes = Serialize(location);
  txn.Put(Cf::kState, keys::LocationKey(id), bytes);
  txn.Put(Cf::kState, keys::LocationVersionKey(id, location.version()), bytes);
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyEvent(const v1::Event& event,
                        const storage::JournalHead& entry,
                        storage::WriteTxn& txn) {
  const At at{FromProto(event.time()), entry.seq};
  absl::Status status;
  if (IsSessionEvent(event)) {
    status = ApplySessionEvent(event, entry, txn);
  } else
    switch (event.payload_case()) {
      case v1::Event::kProductRecorded:
        status = ApplyProduct(event.product_recorded().product(), txn);
        break;
      case v1::Event::kSupplierRecorded:
        status = ApplySupplier(event.supplier_recorded().supplier(), txn);
        break;
      case v1::Event::kLocationRecorded:
        status = ApplyLocation(event.location_recorded().location(), txn);
        break;
      case v1::Event::kStockReceived:
        status = ApplyStockReceived(event.stock_received(), at, txn);
        if (status.ok()) {
          status = ApplyPurchaseOrderReceipt(event.stock_received(), at, txn);
        }
        break;
      case v1::Event::kLotStatusChanged:
        status = ApplyLotStatusChanged(event.lot_status_changed(), txn);
        break;
      case v1::Event::kUnitsDiscarded:
        status = ApplyUnitsDiscarded(event.units_discarded(), at, txn);
        break;
      case v1::Event::kStockAdjusted:
        status = ApplyStockAdjusted(event.stock_adjusted(), at, txn);
        break;
      case v1::Event::kRecallCaseRecorded:
        status =
            ApplyRecallCaseRecorded(event.recall_case_recorded(), event, txn);
        break;
      case v1::Event::kPrincipalRecorded:
        status = ApplyPrincipalRecorded(event.principal_recorded(), txn);
        break;
      case v1::Event::kReorderPolicySet:
        status = ApplyReorderPolicySet(event.reorder_policy_set(), txn);
        break;
      case v1::Event::kPurchaseOrderRecorded:
        status =
            ApplyPurchaseOrderRecorded(event.purchase_order_recorded(), txn);
        break;
      case v1::Event::kUnitsTransferred:
        status = ApplyUnitsTransferred(event.units_transferred(), at, txn);
        break;
      case v1::Event::PAYLOAD_NOT_SET:
        status = absl::DataLossError("event has no payload");
        break;
      default:
        status = absl::DataLossError(absl::StrCat(
            "no projection for event payload ", event.payload_case()));
        break;
    }
  if (!status.ok() && status.code() != absl::StatusCode::kDataLoss) {
    // A stored event that cannot be applied means the record is damaged.
    return absl::DataLossError(
        absl::StrCat("cannot apply event: ", status.message()));
  }
  return status;
}

}  // namespace smptrace::ledger
