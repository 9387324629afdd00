// Decisions for reorder policies and purchase orders (their events'
// projection: purchasing/apply.h).
#ifndef SMPTRACE_SERVICE_LEDGER_PURCHASING_DECIDE_H_
#define SMPTRACE_SERVICE_LEDGER_PURCHASING_DECIDE_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "service/ledger/decide.h"
#include "smptrace/v1/inventory.pb.h"

namespace smptrace::ledger {

absl::StatusOr<Decision> DecideSetReorderPolicy(
    const DecisionContext& ctx, const v1::SetReorderPolicyRequest& r);
// from_suggestion: FailedPrecondition "nothing_to_order" when no suggested
// line is this supplier's.
absl::StatusOr<Decision> DecideCreatePurchaseOrder(
    const DecisionContext& ctx, const v1::CreatePurchaseOrderRequest& r);
// Refusals: po_not_draft; Aborted on a stale expected_version.
absl::StatusOr<Decision> DecideEditPurchaseOrder(
    const DecisionContext& ctx, const v1::EditPurchaseOrderRequest& r);
absl::StatusOr<Decision> DecideSubmitPurchaseOrder(
    const DecisionContext& ctx, const v1::SubmitPurchaseOrderRequest& r);
// Cancels (nothing received yet) or closes short (partly received).
absl::StatusOr<Decision> DecideCancelPurchaseOrder(
    const DecisionContext& ctx, const v1::CancelPurchaseOrderRequest& r);

// Checks a delivery against the order its po_reference names (if it names
// one): the order must be submitted, and more than is outstanding, or a
// product it does not list, needs a note. OK when po_reference is free text.
absl::Status CheckDeliveryAgainstOrder(const DecisionContext& ctx,
                                       const v1::ReceiveRequest& r);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_PURCHASING_DECIDE_H_
