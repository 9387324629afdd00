// Step 5: close. Shows what still needs disposal (closing then needs a
// reason, which becomes an exception on the record) and seals the record.

import { useState } from "preact/hooks";
import { SessionService, type Session } from "../../../gen/smptrace/v1/session_pb";
import { api, requestId } from "../../api/client";
import { ErrorText, useAction } from "../../shell/action";
import { awaitingDisposal } from "./disposal";

export function CloseStep(props: {
  session: Session;
  onBack: () => void;
  onClosed: (s: Session) => void;
}) {
  const left = awaitingDisposal(props.session.consumables);
  const [reason, setReason] = useState("");
  const action = useAction();

  async function close(e: Event) {
    e.preventDefault();
    const closed = await action.run(() =>
      api(SessionService).closeSession({
        requestId: requestId(),
        sessionId: props.session.sessionId,
        undisposedReason: left.length > 0 ? reason.trim() : "",
      }),
    );
    if (closed) props.onClosed(closed);
  }

  return (
    <form class="card" onSubmit={close} aria-labelledby="close-h">
      <h2 id="close-h">Close and seal {props.session.sessionId}</h2>
      {left.length === 0 ? (
        <p class="verdict ok">Every single-use unit is in a sharps container. Closing seals the record.</p>
      ) : (
        <div class="verdict warn">
          <p>
            <strong>{left.length} unit(s) not disposed:</strong>
          </p>
          <ul>
            {left.map((u) => (
              <li key={String(u.seq)}>
                {u.productName} · serial {u.serial} · lot {u.lot}
              </li>
            ))}
          </ul>
          <p>Dispose of them first, or give the reason: it becomes an exception on the record.</p>
          <label for="undisposed">Reason for closing without disposing</label>
          <input id="undisposed" value={reason} autocomplete="off" onInput={(e) => setReason(e.currentTarget.value)} />
        </div>
      )}
      <ErrorText message={action.error} />
      <div class="actions">
        <button type="button" onClick={props.onBack}>
          ← Dispose
        </button>
        <button type="submit" class="primary" disabled={action.busy}>
          Close and seal the record
        </button>
      </div>
    </form>
  );
}
