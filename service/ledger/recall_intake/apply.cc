#include "service/ledger/recall_intake/apply.h"

#include "common/status_macros.h"
#include "service/domain/ids.h"
#include "service/ledger/recalls/apply.h"
#include "service/ledger/records.h"
#include "storage/keys.h"

namespace smptrace::ledger {
namespace {

absl::Status PutCandidate(const v1::RecallCandidate& c,
                          storage::WriteTxn& txn) {
  SMPTRACE_ASSIGN_OR_RETURN(uint64_t n,
                            domain::ParseId(domain::IdKind::kRecallCandidate,
                                            c.candidate_id(), "candidate_id"));
  txn.Put(
      storage::Cf::kState,
      storage::keys::NumberedKey(storage::keys::StateTag::kRecallCandidate, n),
      Serialize(c));
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyRecallCandidatesImported(
    const v1::RecallCandidatesImported& e, storage::WriteTxn& txn) {
  for (const v1::RecallCandidate& c : e.candidates()) {
    SMPTRACE_RETURN_IF_ERROR(PutCandidate(c, txn));
  }
  return absl::OkStatus();
}

absl::Status ApplyRecallCandidateDecided(const v1::RecallCandidateDecided& e,
                                         const v1::Event& event,
                                         storage::WriteTxn& txn) {
  SMPTRACE_RETURN_IF_ERROR(PutCandidate(e.candidate(), txn));
  if (!e.has_recall_case()) return absl::OkStatus();
  return ApplyRecallCaseRecorded(e.recall_case(), event, txn);
}

}  // namespace smptrace::ledger
