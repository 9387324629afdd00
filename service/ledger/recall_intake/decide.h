// Recall intake's decisions: published notices matched against the
// catalogue and the lots received (domain/recall_match.h) become candidate
// recall cases; a manager confirms one (opening the recall case through the
// recall aggregate's own decision, in the same command) or dismisses it.
#ifndef SMPTRACE_SERVICE_LEDGER_RECALL_INTAKE_DECIDE_H_
#define SMPTRACE_SERVICE_LEDGER_RECALL_INTAKE_DECIDE_H_

#include "absl/status/statusor.h"
#include "service/ledger/decide.h"
#include "smptrace/v1/audit.pb.h"
#include "smptrace/v1/ledger.pb.h"

namespace smptrace::ledger {

// One candidate per (notice, product) that matches and has a lot received in
// its scope ("all lots" included). A notice imported before (same source and
// notice id, whatever the request id) makes none again: the answer says
// ALREADY_IMPORTED. Nothing to record when no candidate is made.
absl::StatusOr<Decision> DecideImportRecallNotices(
    const DecisionContext& ctx, const v1::ImportRecallNotices& r);
// Opens the recall case of the candidate's product and lots (holds and
// exposure: DecideOpenRecallCase) and marks the candidate confirmed, in one
// journal entry. NotFound for an unknown candidate;
// recall_candidate_decided when it is no longer open; the recall case's own
// refusals (recall_scope_too_large) pass through.
absl::StatusOr<Decision> DecideConfirmRecallCandidate(
    const DecisionContext& ctx, const v1::ConfirmRecallCandidateRequest& r);
// NotFound; recall_candidate_decided.
absl::StatusOr<Decision> DecideDismissRecallCandidate(
    const DecisionContext& ctx, const v1::DismissRecallCandidateRequest& r);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_RECALL_INTAKE_DECIDE_H_
