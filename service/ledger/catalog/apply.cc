#include "service/ledger/catalog/apply.h"

#include <string>

#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/catalog/state.h"
#include "service/ledger/records.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using storage::Cf;

absl::StatusOr<uint64_t> ParentNumber(const v1::Location& location) {
  if (location.parent_id().empty()) return uint64_t{0};
  return domain::ParseId(IdKind::kLocation, location.parent_id(), "parent_id");
}

}  // namespace

absl::Status ApplyProductRecorded(const v1::ProductRecorded& e,
                                  storage::WriteTxn& txn) {
  const v1::Product& product = e.product();
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

absl::Status ApplySupplierRecorded(const v1::SupplierRecorded& e,
                                   storage::WriteTxn& txn) {
  const v1::Supplier& supplier = e.supplier();
  SMPTRACE_ASSIGN_OR_RETURN(
      uint64_t id, domain::ParseId(IdKind::kSupplier, supplier.supplier_id(),
                                   "supplier_id"));
  std::string bytes = Serialize(supplier);
  txn.Put(Cf::kState, keys::SupplierKey(id), bytes);
  txn.Put(Cf::kState, keys::SupplierVersionKey(id, supplier.version()), bytes);
  return absl::OkStatus();
}

absl::Status ApplyLocationRecorded(const v1::LocationRecorded& e,
                                   storage::WriteTxn& txn) {
  const v1::Location& location = e.location();
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

}  // namespace smptrace::ledger
