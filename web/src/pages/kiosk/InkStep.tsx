// Before the first pigment is used: the ink disclosure (EU REACH Annex XVII
// entry 75). The client reads the label information of each pigment lot to
// be used — product, maker, shade, batch, expiry, the label's statement,
// ingredients and warnings — on the screen, or takes it printed (PDF), and
// the kiosk records that it was given (with the digest of the text shown).
// Reached after the screening when the clinic requires it (otherwise it goes
// straight on), and from the scan step's "Inks" button. Calls
// GetInkDisclosure, RecordInkDisclosure.

import { useEffect, useState } from "preact/hooks";
import {
  InkDisclosureMedium,
  SessionService,
  type DisclosedInk,
  type InkDisclosure,
  type Session,
} from "../../../gen/smptrace/v1/session_pb";
import { api, requestId } from "../../api/client";
import { ErrorText, useAction } from "../../shell/action";
import { openPdf } from "../desk/ui";

const lotKey = (ink: DisclosedInk) => `${ink.gtin}/${ink.lot}`;

export function InkStep(props: {
  session: Session;
  // Entered on its own after the screening: go on when nothing is asked.
  auto: boolean;
  onSession: (s: Session) => void;
  onDone: () => void;
}) {
  const [all, setAll] = useState<DisclosedInk[] | undefined>(undefined);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [shown, setShown] = useState<InkDisclosure | undefined>(undefined);
  const load = useAction();
  const record = useAction();
  const print = useAction();
  const { onDone } = props;
  const sessionId = props.session.sessionId;

  // Every pigment lot of the room, all ticked.
  useEffect(() => {
    void load.run(() => api(SessionService).getInkDisclosure({ sessionId })).then((d) => {
      if (!d) return;
      if (d.inks.length === 0 || (props.auto && !d.required)) {
        onDone();
        return;
      }
      setAll(d.inks);
      setChosen(new Set(d.inks.map(lotKey)));
      setShown(d);
    });
  }, [sessionId]);

  const lots = () =>
    (all ?? []).filter((ink) => chosen.has(lotKey(ink))).map((ink) => ({ gtin: ink.gtin, lot: ink.lot }));

  async function choose(next: Set<string>) {
    setChosen(next);
    const picked = (all ?? []).filter((ink) => next.has(lotKey(ink)));
    if (picked.length === 0) {
      setShown(undefined);
      return;
    }
    const d = await load.run(() =>
      api(SessionService).getInkDisclosure({ sessionId, lots: picked.map((i) => ({ gtin: i.gtin, lot: i.lot })) }),
    );
    if (d) setShown(d);
  }

  async function given(medium: InkDisclosureMedium) {
    if (!shown) return;
    const r = await record.run(() =>
      api(SessionService).recordInkDisclosure({ requestId: requestId(), sessionId, lots: lots(), sha256: shown.sha256, medium }),
    );
    if (!r) return;
    const s = await api(SessionService).getSession({ sessionId });
    if (s.session) props.onSession(s.session);
    onDone();
  }

  async function printIt() {
    const d = await print.run(() => api(SessionService).getInkDisclosure({ sessionId, lots: lots(), includePdf: true }));
    if (d) openPdf(d.pdf, `inks-${sessionId}.pdf`);
  }

  if (!all) {
    return (
      <section class="card">
        <h2>Inks</h2>
        {load.busy && <p class="hint">Reading the inks in this room…</p>}
        <ErrorText message={load.error} />
      </section>
    );
  }
  return (
    <section class="card inks" aria-labelledby="inks-h">
      <h2 id="inks-h">The inks to be used on client {props.session.clientCode}</h2>
      <p class="hint">
        Tick the pigments you will use, then hand the screen to the client: they read each label (or take it printed)
        before the first pigment is scanned.
      </p>
      <fieldset>
        <legend>Pigments in this room</legend>
        {all.map((ink) => (
          <label class="check" key={lotKey(ink)}>
            <input
              type="checkbox"
              checked={chosen.has(lotKey(ink))}
              onChange={(e) => {
                const next = new Set(chosen);
                if (e.currentTarget.checked) next.add(lotKey(ink));
                else next.delete(lotKey(ink));
                void choose(next);
              }}
            />{" "}
            {ink.productName} · lot {ink.lot}
          </label>
        ))}
      </fieldset>
      {shown && (
        <p class="pre ink-text" aria-label="Label information">
          {shown.text}
        </p>
      )}
      <ErrorText message={load.error || record.error || print.error} />
      <div class="actions">
        <button
          type="button"
          class="primary"
          disabled={!shown || record.busy}
          onClick={() => void given(InkDisclosureMedium.SHOWN)}
        >
          The client has read it
        </button>
        <button type="button" disabled={!shown || print.busy} onClick={() => void printIt()}>
          Print it (PDF)
        </button>
        <button type="button" disabled={!shown || record.busy} onClick={() => void given(InkDisclosureMedium.PRINTED)}>
          Handed over printed
        </button>
        <button type="button" onClick={onDone}>
          {shown?.required ? "Back to scanning" : "Skip"}
        </button>
      </div>
    </section>
  );
}
