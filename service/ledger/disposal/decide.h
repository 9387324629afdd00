// Decisions for sharps containers, the disposal chain of custody: a
// container opened at a room, opened units disposed into it, sealed, picked
// up by a hauler. Refusals record nothing.
#ifndef SMPTRACE_SERVICE_LEDGER_DISPOSAL_DECIDE_H_
#define SMPTRACE_SERVICE_LEDGER_DISPOSAL_DECIDE_H_

#include "absl/status/statusor.h"
#include "service/ledger/decide.h"
#include "smptrace/v1/ledger.pb.h"
#include "smptrace/v1/session.pb.h"

namespace smptrace::ledger {

absl::StatusOr<Decision> DecideOpenContainer(const DecisionContext& ctx,
                                             const v1::OpenContainerRequest& r);

// Refusals: container_not_open, unit_not_opened, unit_already_disposed,
// unit_ambiguous (a lot-only barcode matching units of several sessions,
// without r.session_id). NotFound for an unknown r.session_id.
absl::StatusOr<Decision> DecideDispose(const DecisionContext& ctx,
                                       const v1::DisposeRequest& r,
                                       const v1::ResolvedScan& scan);

absl::StatusOr<Decision> DecideSealContainer(const DecisionContext& ctx,
                                             const v1::SealContainerRequest& r);

absl::StatusOr<Decision> DecidePickUpContainer(
    const DecisionContext& ctx, const v1::PickUpContainerRequest& r);

}  // namespace smptrace::ledger

#endif  // SMPTRACE_SERVICE_LEDGER_DISPOSAL_DECIDE_H_
