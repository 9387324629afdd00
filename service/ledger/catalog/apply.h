// How the catalogue's events (products, suppliers, locations) change state
// and indexes; called only by ApplyEvent (service/ledger/projection.h).
// Each writes the current record and its numbered version.
#ifndef SMPTRACE_SERVICE_LEDGER_CATALOG_APPLY_H_
#define SMPTRACE_SERVICE_LEDGER_CATALOG_APPLY_H_

#include "absl/status/status.h"
#include "smptrace/v1/journal.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

absl::Status ApplyProductRecorded(const v1::ProductRecorded& e,
                                  storage::WriteTxn& txn);
absl::Status ApplySupplierRecorded(const v1::SupplierRecorded& e,
                                   storage::WriteTxn& txn);
absl::Status ApplyLocationRecorded(const v1::LocationRecorded& e,
                                   storage::WriteTxn& txn);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_CATALOG_APPLY_H_
