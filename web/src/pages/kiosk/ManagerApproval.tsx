// A manager approves a BLOCKED screening at the practitioner's screen with
// their own sign-in: they paste their token, which goes to the server once,
// as a Bearer header on this one ApproveScreeningOverride call, and is then
// dropped (never stored; the practitioner stays signed in as themselves).

import { useRef, useState } from "preact/hooks";
import { SessionService } from "../../../gen/smptrace/v1/session_pb";
import { api, requestId } from "../../api/client";
import { errorText } from "../../api/errors";
import { Modal } from "../../shell/Modal";

export function ManagerApproval(props: {
  clientId: string;
  clientCode: string;
  onApproved: (approvalId: string) => void;
  onClose: () => void;
}) {
  const token = useRef<HTMLInputElement>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function approve(e: Event) {
    e.preventDefault();
    const field = token.current;
    const credential = field?.value.trim() ?? "";
    if (field) field.value = "";
    if (!credential) {
      setError("The manager pastes their own token.");
      field?.focus();
      return;
    }
    setBusy(true);
    setError("");
    try {
      const approval = await api(SessionService).approveScreeningOverride(
        { requestId: requestId(), client: props.clientId, reason: reason.trim() },
        { headers: { Authorization: `Bearer ${credential}` } },
      );
      props.onApproved(approval.approvalId);
    } catch (err) {
      setError(errorText(err));
      field?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title={`Manager approval for ${props.clientCode}`} onClose={props.onClose}>
      <form onSubmit={approve}>
        <p>
          For a manager only. The approval is recorded under the manager's name with the
          reason, is good for this one session, and is an exception on the record.
        </p>
        <label for="approval-reason">Why the procedure may go ahead</label>
        <textarea
          id="approval-reason"
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
        <label for="manager-token">Manager's token</label>
        <input id="manager-token" ref={token} type="password" autocomplete="off" spellcheck={false} />
        <p class="hint">Used once for this approval and not kept.</p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            Approve and start the session
          </button>
          <button type="button" onClick={props.onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}
