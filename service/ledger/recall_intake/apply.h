// Recall intake's projection: how its events change state.
#ifndef SMPTRACE_SERVICE_LEDGER_RECALL_INTAKE_APPLY_H_
#define SMPTRACE_SERVICE_LEDGER_RECALL_INTAKE_APPLY_H_

#include "absl/status/status.h"
#include "smptrace/v1/journal.pb.h"
#include "storage/store.h"

namespace smptrace::ledger {

absl::Status ApplyRecallCandidatesImported(
    const v1::RecallCandidatesImported& e, storage::WriteTxn& txn);
// Writes the candidate; a confirmation also applies its recall case (the
// holds), as RecallCaseRecorded does.
absl::Status ApplyRecallCandidateDecided(const v1::RecallCandidateDecided& e,
                                         const v1::Event& event,
                                         storage::WriteTxn& txn);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_RECALL_INTAKE_APPLY_H_
