// Event -> state and indexes. The only code that writes the state and index
// column families, used both by the live writer and by the rebuild check's
// replay, so the two cannot disagree about what an event means.
#ifndef SMPTRACE_SERVICE_LEDGER_PROJECTION_H_
#define SMPTRACE_SERVICE_LEDGER_PROJECTION_H_

#include "absl/status/status.h"
#include "smptrace/v1/journal.pb.h"
#include "storage/journal.h"
#include "storage/store.h"

namespace smptrace::ledger {

// Writes what `event` changes into `txn`; reads earlier state through `txn`.
// Deterministic: depends only on the event and the state before it.
// DataLoss if the state it needs is unreadable.
// `entry` is the seq and hash of the event's own journal entry (a session's
// seal records them).
absl::Status ApplyEvent(const v1::Event& event,
                        const storage::JournalHead& entry,
                        storage::WriteTxn& txn);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_PROJECTION_H_
