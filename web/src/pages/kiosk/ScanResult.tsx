// The answer to the last scan, big enough to read from the chair: a ✔ with
// what was opened (product, lot, expiry, serial) or a ✘ with the server's
// reason, and the sound that goes with it.

import type { ConsumableUse } from "../../../gen/smptrace/v1/session_pb";
import { formatDate } from "../../lib/time";

export interface ScanOutcome {
  ok: boolean;
  title: string;
  details: string[];
  /** For a refusal: the server's message (what is wrong, what to do). */
  reason?: string;
  barcode: string;
  /** Increases with each outcome, so the same text twice still re-announces. */
  serial: number;
}

/** What a recorded use says, as lines for the ✔ panel. */
export function useDetails(use: ConsumableUse): string[] {
  const lines = [`lot ${use.lot} · expires ${formatDate(use.expiry)}`];
  if (use.pigmentDraw) {
    lines.push(
      `bottle ${use.serial} · usable until ${formatDate(use.usableUntil)}${use.openedBottle ? " · bottle opened" : " · draw"}`,
    );
  } else if (use.serial) {
    lines.push(`serial ${use.serial}`);
  }
  lines.push(`scan ${use.seq}`);
  if (use.advisory) lines.push(`! ${use.advisory}`);
  return lines;
}

export function ScanResult(props: { outcome?: ScanOutcome; pending: boolean; idleText: string }) {
  const o = props.outcome;
  return (
    <div aria-live="assertive" aria-atomic="true">
      {!o ? (
        <div class="result idle">
          <span class="mark" aria-hidden="true">
            ⌁
          </span>
          <div class="what">{props.pending ? "Checking…" : props.idleText}</div>
        </div>
      ) : (
        <div class={`result ${o.ok ? "ok" : "bad"}`} key={o.serial}>
          <span class="mark" aria-hidden="true">
            {o.ok ? "✔" : "✘"}
          </span>
          <div class="what">
            <div class="title">
              <span class="sr-only">{o.ok ? "Accepted: " : "Refused: "}</span>
              {o.title}
            </div>
            {o.reason && <div class="reason">{o.reason}</div>}
            {o.details.map((d, i) => (
              <div key={i}>{d}</div>
            ))}
            <div class="hint mono">{o.barcode}</div>
          </div>
        </div>
      )}
    </div>
  );
}
