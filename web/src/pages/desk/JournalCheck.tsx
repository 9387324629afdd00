// "Is the record intact?": VerifyJournal re-hashes every journal entry from
// the first one and says where the first damage is, if any. The auditor's
// checkpoints page and the admin's health page both show it.

import { useState } from "preact/hooks";
import { AuditService, JournalProblem, type VerifyJournalResponse } from "../../../gen/smptrace/v1/audit_pb";
import { api } from "../../api/client";
import { ErrorText, useAction } from "../../shell/action";
import { enumLabel } from "./ui";

export function JournalCheck() {
  const [verify, setVerify] = useState<VerifyJournalResponse | undefined>(undefined);
  const action = useAction();
  async function run() {
    const r = await action.run(() => api(AuditService).verifyJournal({}));
    if (r) setVerify(r);
  }
  return (
    <section class="card" aria-labelledby="j-verify">
      <h2 id="j-verify">Is the record intact?</h2>
      <p>Re-hashes every journal entry from the first one.</p>
      <button type="button" disabled={action.busy} onClick={() => void run()}>
        {action.busy ? "Verifying…" : "Verify the journal"}
      </button>
      <ErrorText message={action.error} />
      {verify && (
        <div class={`verdict ${verify.ok ? "ok" : "bad"}`} role="status">
          {verify.ok ? (
            <>
              <strong>Journal OK</strong>: {String(verify.entries)} entries, head {String(verify.headSeq)}{" "}
              <span class="mono">{verify.headHash}</span>
            </>
          ) : (
            <>
              <strong>Journal DAMAGED</strong> at entry {String(verify.firstBadSeq)}: {enumLabel(JournalProblem, verify.problem)}.{" "}
              {verify.detail}
            </>
          )}
        </div>
      )}
    </section>
  );
}
