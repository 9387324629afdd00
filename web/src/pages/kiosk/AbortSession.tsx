// Aborting the open session: the procedure stops and the session ends as
// ABORTED, with the practitioner's reason on its record (the server requires
// one). A button in the session bar opens a confirmation that says what
// aborting does; nothing is sent until the practitioner confirms.

import { useState } from "preact/hooks";
import { SessionService, type Session } from "../../../gen/smptrace/v1/session_pb";
import { api, requestId } from "../../api/client";
import { ErrorText, useAction } from "../../shell/action";
import { Modal } from "../../shell/Modal";

export function AbortSessionButton(props: { session: Session; onAborted: (s: Session) => void }) {
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button type="button" class="danger" onClick={() => setAsking(true)}>
        Abort the session…
      </button>
      {asking && (
        <AbortDialog
          session={props.session}
          onCancel={() => setAsking(false)}
          onAborted={(s) => {
            setAsking(false);
            props.onAborted(s);
          }}
        />
      )}
    </>
  );
}

function AbortDialog(props: { session: Session; onCancel: () => void; onAborted: (s: Session) => void }) {
  const { session } = props;
  const [reason, setReason] = useState("");
  const action = useAction();
  const opened = session.consumables.filter((u) => !u.voided).length;

  async function submit(e: Event) {
    e.preventDefault();
    const aborted = await action.run(() =>
      api(SessionService).abortSession({ requestId: requestId(), sessionId: session.sessionId, reason: reason.trim() }),
    );
    if (aborted) props.onAborted(aborted);
  }

  return (
    <Modal title={`Abort ${session.sessionId}?`} role="alertdialog" onClose={props.onCancel}>
      <form onSubmit={submit}>
        <p>
          The procedure for client {session.clientCode} stops here. The session ends as <strong>ABORTED</strong>: nothing
          more can be scanned into it and it cannot be closed and sealed. What was opened ({opened} item
          {opened === 1 ? "" : "s"}) stays on its record, with your reason, for the auditor.
        </p>
        <label for="abort-reason">Why is the procedure stopped? (required)</label>
        <input
          id="abort-reason"
          value={reason}
          autoFocus
          autocomplete="off"
          onInput={(e) => {
            setReason(e.currentTarget.value);
            action.setError("");
          }}
        />
        <ErrorText message={action.error} />
        <div class="actions">
          <button type="submit" class="danger" disabled={action.busy}>
            Abort the session
          </button>
          <button type="button" onClick={props.onCancel}>
            Keep working
          </button>
        </div>
      </form>
    </Modal>
  );
}
