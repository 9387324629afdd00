// Which of a session's uses still have to go into a sharps container before
// it closes. The server's one rule (AwaitsDisposal in
// service/ledger/sessions/state.h), which its counts (SessionLine
// .awaiting_disposal) and close use: a single-use unit, not a pigment draw
// (a bottle stays open across sessions), not yet disposed, unless a void
// put it back in stock (voided as not opened). A use voided as opened is
// spent and awaits disposal like any other, and so does one voided before
// voids said whether the package was opened (UNSPECIFIED).

import { VoidedPackage, type ConsumableUse } from "../../../gen/smptrace/v1/session_pb";

/** Whether `u` still has to go into a sharps container. */
export function awaitsDisposal(u: ConsumableUse): boolean {
  return u.singleUse && !u.pigmentDraw && u.containerId === "" && !(u.voided && u.voidPackage === VoidedPackage.NOT_OPENED);
}

export function awaitingDisposal(uses: readonly ConsumableUse[]): ConsumableUse[] {
  return uses.filter(awaitsDisposal);
}
