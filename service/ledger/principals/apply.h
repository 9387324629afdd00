// How a principal's events change state and indexes (called only by
// ApplyEvent, service/ledger/projection.h).
#ifndef SMPTRACE_SERVICE_LEDGER_PRINCIPALS_APPLY_H_
#define SMPTRACE_SERVICE_LEDGER_PRINCIPALS_APPLY_H_

#include "absl/status/status.h"
#include "smptrace/v1/journal.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

absl::Status ApplyPrincipalRecorded(const v1::PrincipalRecorded& e,
                                    storage::WriteTxn& txn);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_PRINCIPALS_APPLY_H_
