// The kiosk's list of a session's uses. A scan's answer carries only the
// new use and the session's counts (ScanConsumableResponse.summary, a
// SessionLine), not every use again: the kiosk adds the use to the list it
// has (read with GetSession, or the answer of a start or a void), and when
// its list then no longer adds up to the server's counts, the session
// changed elsewhere (a void, a disposal or a scan at another screen, the
// CLI) and the kiosk reads it again.

import type { ConsumableUse, Session, SessionLine } from "../../../gen/smptrace/v1/session_pb";
import { awaitsDisposal } from "./disposal";

/** The session with `use` in its list: in its place when the list has its seq (a double read), else appended. */
export function withUse(session: Session, use: ConsumableUse): Session {
  const at = session.consumables.findIndex((u) => u.seq === use.seq);
  const consumables = at < 0 ? [...session.consumables, use] : session.consumables.map((u, i) => (i === at ? use : u));
  return { ...session, consumables };
}

/**
 * The counts of a list the way the server counts a SessionLine
 * (SessionLineOf in service/ledger/sessions/state.cc): uses not voided,
 * voided ones, and those still to go into a sharps container by the one
 * rule of disposal.ts (voided as opened included).
 */
export function lineCounts(uses: readonly ConsumableUse[]) {
  let consumables = 0;
  let voided = 0;
  let awaitingDisposal = 0;
  for (const u of uses) {
    if (u.voided) voided++;
    else consumables++;
    if (awaitsDisposal(u)) awaitingDisposal++;
  }
  return { consumables, voided, awaitingDisposal };
}

/**
 * Whether the kiosk's session still matches the server's counts. No
 * summary (the answer to a retry of a scan recorded by an earlier server)
 * counts as a mismatch: read the session again.
 */
export function listIsWhole(session: Session, summary: SessionLine | undefined): boolean {
  if (!summary) return false;
  const mine = lineCounts(session.consumables);
  return (
    summary.status === session.status &&
    summary.consumables === mine.consumables &&
    summary.voided === mine.voided &&
    summary.awaitingDisposal === mine.awaitingDisposal
  );
}
