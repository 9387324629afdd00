// Decisions for sessions (start, scans, pigment bottles, voids, close,
// abort) and screening override approvals: DESIGN.md §2's invariants 1-3
// live here. A refused scan is itself recorded (the decision
// carries the event and the refusal); other refusals record nothing.
#ifndef SMPTRACE_SERVICE_LEDGER_SESSIONS_DECIDE_H_
#define SMPTRACE_SERVICE_LEDGER_SESSIONS_DECIDE_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "service/ledger/decide.h"
#include "smptrace/v1/ledger.pb.h"
#include "smptrace/v1/session.pb.h"

namespace smptrace::ledger {

// A manager's approval for one BLOCKED screening of a client: recorded
// under the caller (the signed-in principal; without authentication the
// name in `r.manager`, then required). NotFound if the client does not
// exist; InvalidArgument "manager: ..." for a missing or different name.
absl::StatusOr<Decision> DecideApproveScreeningOverride(
    const DecisionContext& ctx, const v1::ApproveScreeningOverrideRequest& r);

// How long a manager's screening override approval can be used.
inline constexpr absl::Duration kOverrideApprovalValidity = absl::Hours(1);

// Evaluates the screening; when it is BLOCKED, proceeds only with a
// manager's approval (r.override_approval_id), which the session then uses
// up. Refusals: screening_blocked (no approval given), override_approval_
// other_client, override_approval_used, override_approval_expired,
// override_approval_not_signed_in; NotFound for an unknown approval id.
absl::StatusOr<Decision> DecideStartSession(const DecisionContext& ctx,
                                            const v1::StartSessionRequest& r);

// `scan` is the request's barcode as the API parsed it. Recorded refusals:
// unknown_item, lot_recalled, lot_quarantined, expired, unit_already_used
// (a reuse attempt), unit_discarded, unit_elsewhere, not_in_stock,
// pao_exceeded. Not recorded: session_not_open.
absl::StatusOr<Decision> DecideScanConsumable(
    const DecisionContext& ctx, const v1::ScanConsumableRequest& r,
    const v1::ResolvedScan& scan);

absl::StatusOr<Decision> DecideOpenPigmentBottle(
    const DecisionContext& ctx, const v1::OpenPigmentBottleRequest& r,
    const v1::ResolvedScan& scan);

// Voids a scan; r.package says what became of the unit: NOT_OPENED puts a
// single-use unit back in stock (refused, "void_package_mismatch", for a
// unit already disposed and for a pigment bottle draw), OPENED leaves it
// opened, to be disposed of before the session closes.
absl::StatusOr<Decision> DecideVoidScan(const DecisionContext& ctx,
                                        const v1::VoidScanRequest& r);
// FailedPrecondition "units_not_disposed" without a reason while a
// single-use unit of the session is not disposed.
absl::StatusOr<Decision> DecideCloseSession(const DecisionContext& ctx,
                                            const v1::CloseSessionRequest& r);
absl::StatusOr<Decision> DecideAbortSession(const DecisionContext& ctx,
                                            const v1::AbortSessionRequest& r);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_SESSIONS_DECIDE_H_
