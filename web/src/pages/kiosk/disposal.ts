// Which of a session's uses still have to go into a sharps container before
// it closes: single-use units opened (or voided as opened) and not yet
// disposed. Pigment bottles stay open across sessions; a unit voided as not
// opened went back to stock.

import { VoidedPackage, type ConsumableUse } from "../../../gen/smptrace/v1/session_pb";

export function awaitingDisposal(uses: readonly ConsumableUse[]): ConsumableUse[] {
  return uses.filter(
    (u) =>
      u.singleUse &&
      !u.pigmentDraw &&
      u.containerId === "" &&
      !(u.voided && u.voidPackage === VoidedPackage.NOT_OPENED),
  );
}
