// How reorder policies and purchase orders change state, including a
// delivery received against an order; called only by ApplyEvent
// (service/ledger/projection.h).
#ifndef SMPTRACE_SERVICE_LEDGER_PURCHASING_APPLY_H_
#define SMPTRACE_SERVICE_LEDGER_PURCHASING_APPLY_H_

#include "absl/status/status.h"
#include "service/ledger/stock/apply.h"
#include "smptrace/v1/journal.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

absl::Status ApplyReorderPolicySet(const v1::ReorderPolicySet& e,
                                   storage::WriteTxn& txn);
absl::Status ApplyPurchaseOrderRecorded(const v1::PurchaseOrderRecorded& e,
                                        storage::WriteTxn& txn);
// A delivery received against an order updates the order.
absl::Status ApplyPurchaseOrderReceipt(const v1::StockReceived& e, const At& at,
                                       storage::WriteTxn& txn);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_PURCHASING_APPLY_H_
