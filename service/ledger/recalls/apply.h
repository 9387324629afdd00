// How recall case events change state: the case record, and when a case is
// opened, the holds it places on the lots in scope (each lot recalled with
// the case's notice). Called only by ApplyEvent (service/ledger/projection.h).
#ifndef SMPTRACE_SERVICE_LEDGER_RECALLS_APPLY_H_
#define SMPTRACE_SERVICE_LEDGER_RECALLS_APPLY_H_

#include "absl/status/status.h"
#include "smptrace/v1/journal.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

absl::Status ApplyRecallCaseRecorded(const v1::RecallCaseRecorded& e,
                                     const v1::Event& event,
                                     storage::WriteTxn& txn);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_RECALLS_APPLY_H_
