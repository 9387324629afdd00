#include "service/ledger/purchasing/apply.h"

#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/dates.h"
#include "service/ledger/planning.h"
#include "service/ledger/records.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

namespace keys = storage::keys;
using domain::IdKind;
using storage::Cf;

}  // namespace

absl::Status ApplyReorderPolicySet(const v1::ReorderPolicySet& e,
                                   storage::WriteTxn& txn) {
  uint64_t location = 0;
  if (!e.policy().location_id().empty()) {
    SMPTRACE_ASSIGN_OR_RETURN(
        location, domain::ParseId(IdKind::kLocation, e.policy().location_id(),
                                  "location_id"));
  }
  txn.Put(Cf::kState, keys::ReorderPolicyKey(e.policy().gtin(), location),
          Serialize(e.policy()));
  return absl::OkStatus();
}

absl::Status ApplyPurchaseOrderRecorded(const v1::PurchaseOrderRecorded& e,
                                        storage::WriteTxn& txn) {
  return PutNumbered(kPurchaseOrderRecord, e.order().po_id(), e.order(), txn);
}

absl::Status ApplyPurchaseOrderReceipt(const v1::StockReceived& e, const At& at,
                                       storage::WriteTxn& txn) {
  auto number = domain::ParseId(IdKind::kPurchaseOrder, e.po_reference(), "po");
  if (!number.ok()) return absl::OkStatus();
  SMPTRACE_ASSIGN_OR_RETURN(auto po, ReadPurchaseOrder(txn, *number));
  if (!po.has_value()) return absl::OkStatus();
  v1::PurchaseOrderReceipt* receipt = po->add_receipts();
  receipt->set_seq(at.seq);
  *receipt->mutable_at() = ToProto(at.time);
  receipt->set_note(e.po_note());
  for (const auto& line : e.lines()) {
    (*receipt->mutable_units())[line.lot().gtin()] += line.serials_size();
  }
  bool complete = true;
  for (auto& line : *po->mutable_lines()) {
    auto it = receipt->units().find(line.gtin());
    if (it != receipt->units().end())
      line.set_received(line.received() + it->second);
    if (line.received() < line.quantity()) complete = false;
  }
  po->set_status(complete ? v1::PURCHASE_ORDER_STATUS_RECEIVED
                          : v1::PURCHASE_ORDER_STATUS_PARTLY_RECEIVED);
  po->set_version(po->version() + 1);
  return PutNumbered(kPurchaseOrderRecord, po->po_id(), *po, txn);
}

}  // namespace smptrace::ledger
