// A manager approves a BLOCKED screening at the practitioner's screen with
// their own sign-in: they paste their token, which goes to the server once,
// as a Bearer header on this one ApproveScreeningOverride call, and is then
// dropped (never stored; the practitioner stays signed in as themselves).

import { useRef, useState } from "preact/hooks";
import { SessionService } from "../../../gen/smptrace/v1/session_pb";
import { api, requestId } from "../../api/client";
import { ErrorText, useAction } from "../../shell/action";
import { Modal } from "../../shell/Modal";

export function ManagerApproval(props: {
  clientId: string;
  clientCode: string;
  onApproved: (approvalId: string) => void;
  onClose: () => void;
}) {
  const token = useRef<HTMLInputElement>(null);
  const [reason, setReason] = useState("");
  const action = useAction();

  async function approve(e: Event) {
    e.preventDefault();
    const field = token.current;
    const credential = field?.value.trim() ?? "";
    if (field) field.value = "";
    if (!credential) {
      action.setError("The manager pastes their own token.");
      field?.focus();
      return;
    }
    const approval = await action.run(() =>
      api(SessionService).approveScreeningOverride(
        { requestId: requestId(), client: props.clientId, reason: reason.trim() },
        { headers: { Authorization: `Bearer ${credential}` } },
      ),
    );
    if (approval) props.onApproved(approval.approvalId);
    else field?.focus();
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
        <ErrorText message={action.error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={action.busy}>
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
