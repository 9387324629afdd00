// Step 3: scan what you open. The scanner field keeps the focus; each scan
// is answered with ✔ or ✘ and a sound. The list shows what was opened; a
// scan made by mistake is voided with a reason (package opened or not).
// "Package damaged" discards the next scanned unit instead of using it;
// "Open a pigment bottle" opens the next scanned bottle in this room.

import { Component } from "preact";
import { useRef, useState } from "preact/hooks";
import {
  SessionService,
  VoidedPackage,
  type ConsumableUse,
  type Session,
} from "../../../gen/smptrace/v1/session_pb";
import { api, requestId } from "../../api/client";
import { formatDate, formatTimestamp } from "../../lib/time";
import { ErrorText, useAction } from "../../shell/action";
import { Modal } from "../../shell/Modal";
import { ScanField } from "./ScanField";
import { ScanResult, useDetails } from "./ScanResult";
import { useScanQueue, type ScanAnswer } from "./useScanQueue";
import { listIsWhole, withUse } from "./uses";

type Mode = "use" | "damaged" | "open-bottle";

export function ScanStep(props: {
  session: Session;
  timeZone: string;
  onSession: (s: Session) => void;
  onNext: () => void;
}) {
  const { session } = props;
  const [mode, setMode] = useState<Mode>("use");
  const [voiding, setVoiding] = useState<ConsumableUse | undefined>(undefined);
  // The list as the last answer left it, also between an answer and the
  // render that shows it (answers follow each other faster than renders).
  const latest = useRef(session);
  latest.current = session;

  async function send(barcode: string): Promise<ScanAnswer> {
    const m = mode;
    setMode("use");
    if (m === "open-bottle") {
      const unit = await api(SessionService).openPigmentBottle({
        requestId: requestId(),
        locationId: session.locationId,
        barcode,
      });
      return {
        title: "Pigment bottle opened",
        details: [`lot ${unit.lot} · bottle ${unit.serial}`, `usable until ${formatDate(unit.usableUntil)}`],
      };
    }
    const res = await api(SessionService).scanConsumable({
      requestId: requestId(),
      sessionId: session.sessionId,
      barcode,
      packageDamaged: m === "damaged",
    });
    // The list follows once the ✔ is on screen (useScanQueue): the answer
    // first, the rest of the page a frame later. The answer carries the new
    // use and the session's counts; when the list with the use does not add
    // up to them, the session changed elsewhere: read it again.
    const after = () => {
      const next = res.use ? withUse(latest.current, res.use) : latest.current;
      latest.current = next;
      props.onSession(next);
      if (!listIsWhole(next, res.summary)) {
        api(SessionService)
          .getSession({ sessionId: next.sessionId })
          .then((r) => r.session && props.onSession(r.session))
          .catch(() => undefined); // the next scan's answer checks again
      }
    };
    if (res.discarded || !res.use) {
      return {
        title: "Damaged package: unit discarded, not used",
        details: ["Scan the next one. The record lists it for the auditor (package_damaged)."],
        after,
      };
    }
    return { title: res.use.productName, details: useDetails(res.use), after };
  }

  const queue = useScanQueue(send);
  const uses = session.consumables;
  return (
    <div class="columns">
      <section class="card" aria-labelledby="scan-h">
        <h2 id="scan-h">Scan each item as you open it</h2>
        <ScanField
          label="Scanner"
          hint="Scan the cartridge's or bottle's label. Each scan is checked at once: ✔ use it, ✘ do not."
          scope={session.sessionId}
          onScan={queue.scan}
          disabled={!!voiding}
        />
        {mode !== "use" && (
          <p class="mode" role="status">
            {mode === "damaged"
              ? "Next scan: the package is damaged (torn, wet, seal broken): the unit is discarded, not used."
              : "Next scan: open a pigment bottle in this room."}
          </p>
        )}
        <ScanResult outcome={queue.outcome} pending={queue.pending} idleText="Waiting for the first scan." />
        <div class="actions">
          <button type="button" aria-pressed={mode === "damaged"} onClick={() => setMode(mode === "damaged" ? "use" : "damaged")}>
            Package damaged…
          </button>
          <button
            type="button"
            aria-pressed={mode === "open-bottle"}
            onClick={() => setMode(mode === "open-bottle" ? "use" : "open-bottle")}
          >
            Open a pigment bottle…
          </button>
          <button type="button" class="primary" onClick={props.onNext}>
            Done: dispose →
          </button>
        </div>
      </section>
      <section class="card" aria-labelledby="opened-h">
        <h2 id="opened-h">Opened in this session ({uses.filter((u) => !u.voided).length})</h2>
        {uses.length === 0 ? (
          <p class="hint">Nothing yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Lot · expiry</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[...uses].reverse().map((u) => (
                <UseRow key={String(u.seq)} use={u} timeZone={props.timeZone} onVoid={setVoiding} />
              ))}
            </tbody>
          </table>
        )}
      </section>
      {voiding && (
        <VoidDialog
          session={session}
          use={voiding}
          onDone={(s) => {
            setVoiding(undefined);
            if (s) props.onSession(s);
          }}
        />
      )}
    </div>
  );
}

/**
 * One row of "Opened in this session". A session read again (a void's
 * answer, GetSession) brings every use again (new objects, equal content): a
 * row renders again only when its use changed (voided, disposed), so only
 * the rows that changed are redrawn.
 */
class UseRow extends Component<{ use: ConsumableUse; timeZone: string; onVoid: (u: ConsumableUse) => void }> {
  shouldComponentUpdate(next: UseRow["props"]): boolean {
    const a = this.props.use;
    const b = next.use;
    return (
      a.seq !== b.seq ||
      a.voided !== b.voided ||
      a.voidPackage !== b.voidPackage ||
      a.containerId !== b.containerId ||
      this.props.timeZone !== next.timeZone
    );
  }

  render() {
    const { use: u, timeZone, onVoid } = this.props;
    return (
<tr class={u.voided ? "voided" : ""}>
        <td>
          {u.productName}
          <div class="hint">
            {u.pigmentDraw ? `bottle ${u.serial}` : u.serial && `serial ${u.serial}`} · scan {String(u.seq)} ·{" "}
            {formatTimestamp(u.scannedAt, timeZone)}
          </div>
        </td>
        <td class="nowrap">
          {u.lot}
          <div class="hint">{formatDate(u.expiry)}</div>
        </td>
        <td class="keep">
          {u.voided ? (
            <span class="badge warn">
              voided ({u.voidPackage === VoidedPackage.NOT_OPENED ? "not opened" : "opened"})
            </span>
          ) : (
            <button type="button" onClick={() => onVoid(u)} aria-label={`Void scan ${u.seq}`}>
              Void
            </button>
          )}
        </td>
      </tr>
    );
  }
}

function VoidDialog(props: { session: Session; use: ConsumableUse; onDone: (s?: Session) => void }) {
  const { use } = props;
  const [reason, setReason] = useState("");
  const [pkg, setPkg] = useState<VoidedPackage>(use.pigmentDraw ? VoidedPackage.OPENED : VoidedPackage.UNSPECIFIED);
  const action = useAction();

  async function submit(e: Event) {
    e.preventDefault();
    const session = await action.run(() =>
      api(SessionService).voidScan({
        requestId: requestId(),
        sessionId: props.session.sessionId,
        scanSeq: use.seq,
        reason: reason.trim(),
        package: pkg,
      }),
    );
    if (session) props.onDone(session);
  }

  return (
    <Modal title={`Void scan ${use.seq}: ${use.productName}`} onClose={() => props.onDone()}>
      <form onSubmit={submit}>
        <label for="void-reason">Why (required)</label>
        <input id="void-reason" value={reason} autoFocus autocomplete="off" onInput={(e) => setReason(e.currentTarget.value)} />
        <fieldset>
          <legend>The package</legend>
          <label class="check">
            <input
              type="radio"
              name="pkg"
              disabled={use.pigmentDraw}
              checked={pkg === VoidedPackage.NOT_OPENED}
              onChange={() => setPkg(VoidedPackage.NOT_OPENED)}
            />
            Not opened: it goes back to stock in the room, usable
          </label>
          <label class="check">
            <input type="radio" name="pkg" checked={pkg === VoidedPackage.OPENED} onChange={() => setPkg(VoidedPackage.OPENED)} />
            Opened: spent; dispose of it before closing
          </label>
        </fieldset>
        <ErrorText message={action.error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={action.busy}>
            Void the scan
          </button>
          <button type="button" onClick={() => props.onDone()}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
