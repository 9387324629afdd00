// Before the screening: the client's consent. When the clinic requires it
// and the client has not agreed to the current version of a text, the
// kiosk shows that text for the client to read and records their answer
// (with the version and the SHA-256 of the text shown). Otherwise it goes
// straight on. Calls GetConsent, RecordConsent.

import { useEffect, useState } from "preact/hooks";
import {
  ConsentSubject,
  SessionService,
  type Client,
  type ConsentStatus,
  type ConsentText,
} from "../../../gen/smptrace/v1/session_pb";
import { api, requestId } from "../../api/client";
import { ErrorText, useAction } from "../../shell/action";

const SUBJECT_TITLES: Record<ConsentSubject, string> = {
  [ConsentSubject.UNSPECIFIED]: "Consent",
  [ConsentSubject.PROCEDURE]: "Consent to the procedure",
  [ConsentSubject.DATA_PROCESSING]: "Consent to keeping your data",
};

export function ConsentStep(props: { client: Client; onBack: () => void; onDone: () => void }) {
  const [status, setStatus] = useState<ConsentStatus | undefined>(undefined);
  const [agreed, setAgreed] = useState<Set<ConsentSubject>>(new Set());
  const load = useAction();
  const record = useAction();
  const { onDone } = props;

  useEffect(() => {
    void load.run(() => api(SessionService).getConsent({ client: props.client.clientId })).then((s) => {
      if (!s) return;
      if (!s.required || s.missing.length === 0) onDone();
      else setStatus(s);
    });
  }, [props.client.clientId]);

  if (!status) {
    return (
      <section class="card">
        <h2>Consent</h2>
        {load.busy && <p class="hint">Checking the client's consent…</p>}
        <ErrorText message={load.error} />
      </section>
    );
  }
  const shown: ConsentText[] = status.texts.filter((t) => status.missing.includes(t.subject));
  const all = shown.every((t) => agreed.has(t.subject));

  async function save(e: Event) {
    e.preventDefault();
    const r = await record.run(() =>
      api(SessionService).recordConsent({
        requestId: requestId(),
        client: props.client.clientId,
        given: shown.map((t) => ({ subject: t.subject, version: t.version, textSha256: t.sha256 })),
      }),
    );
    if (r) onDone();
  }

  return (
    <form class="card consent" onSubmit={save} aria-labelledby="consent-h">
      <h2 id="consent-h">Consent of client {props.client.code}</h2>
      <p class="hint">Hand the screen to the client: they read each text and tick that they agree.</p>
      {shown.map((t) => (
        <section key={t.subject} aria-label={SUBJECT_TITLES[t.subject]}>
          <h3>
            {SUBJECT_TITLES[t.subject]} <span class="hint">version {t.version}</span>
          </h3>
          <p class="pre consent-text">{t.text}</p>
          <label class="check">
            <input
              type="checkbox"
              checked={agreed.has(t.subject)}
              onChange={(e) => {
                const next = new Set(agreed);
                if (e.currentTarget.checked) next.add(t.subject);
                else next.delete(t.subject);
                setAgreed(next);
              }}
            />{" "}
            I have read this and I agree
          </label>
        </section>
      ))}
      <ErrorText message={record.error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={!all || record.busy}>
          Record consent
        </button>
        <button type="button" onClick={props.onBack}>
          Back
        </button>
      </div>
      {!all && <p class="hint">A session can start only when the client agrees to every text.</p>}
    </form>
  );
}
