// Decisions for clients, sessions and sharps containers: DESIGN.md §2's
// invariants 1-3 live here. A refused scan is itself recorded (the decision
// carries the event and the refusal); other refusals record nothing.
#ifndef SMPTRACE_SERVICE_LEDGER_SESSION_DECISIONS_H_
#define SMPTRACE_SERVICE_LEDGER_SESSION_DECISIONS_H_

#include "absl/status/statusor.h"
#include "service/ledger/decide.h"
#include "smptrace/v1/ledger.pb.h"
#include "smptrace/v1/session.pb.h"

namespace smptrace::ledger {

// AlreadyExists if the code is taken.
absl::StatusOr<Decision> DecideCreateClient(const DecisionContext& ctx,
                                            const v1::CreateClientRequest& r);

// A new version of the client's contact details. NotFound if the client is
// unknown; Aborted if expected_version is set and stale.
absl::StatusOr<Decision> DecideUpdateClientContact(
    const DecisionContext& ctx, const v1::UpdateClientContactRequest& r);

// Evaluates the screening; FailedPrecondition "screening_blocked" when it is
// BLOCKED without an override.
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

absl::StatusOr<Decision> DecideVoidScan(const DecisionContext& ctx,
                                        const v1::VoidScanRequest& r);
// FailedPrecondition "units_not_disposed" without a reason while a
// single-use unit of the session is not disposed.
absl::StatusOr<Decision> DecideCloseSession(const DecisionContext& ctx,
                                            const v1::CloseSessionRequest& r);
absl::StatusOr<Decision> DecideAbortSession(const DecisionContext& ctx,
                                            const v1::AbortSessionRequest& r);

// NotFound if a client (client_id or one of also_client_ids) does not
// exist.
absl::StatusOr<Decision> DecideRecordClientRead(const DecisionContext& ctx,
                                                const v1::RecordClientRead& r);

absl::StatusOr<Decision> DecideOpenContainer(const DecisionContext& ctx,
                                             const v1::OpenContainerRequest& r);
// Refusals: container_not_open, unit_not_opened, unit_already_disposed.
absl::StatusOr<Decision> DecideDispose(const DecisionContext& ctx,
                                       const v1::DisposeRequest& r,
                                       const v1::ResolvedScan& scan);
absl::StatusOr<Decision> DecideSealContainer(const DecisionContext& ctx,
                                             const v1::SealContainerRequest& r);
absl::StatusOr<Decision> DecidePickUpContainer(
    const DecisionContext& ctx, const v1::PickUpContainerRequest& r);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_SESSION_DECISIONS_H_
