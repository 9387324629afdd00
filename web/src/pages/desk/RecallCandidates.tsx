// The dashboard's open recall candidates: published notices (imported with
// `smptrace recall import`) that matched a product and lots of the clinic,
// each with its evidence, to confirm (opening the recall case: holds and
// exposure) or dismiss with a reason. Nothing is recalled until confirmed.
// Calls ListRecallCandidates, ConfirmRecallCandidate, DismissRecallCandidate.

import { useState } from "preact/hooks";
import { AuditService, RecallCandidateStatus } from "../../../gen/smptrace/v1/audit_pb";
import type { RecallCandidate } from "../../../gen/smptrace/v1/audit_pb";
import { api, requestId } from "../../api/client";
import { formatDate } from "../../lib/time";
import { ErrorText, useAction } from "../../shell/action";
import { LoadState, PageLink, Table, TextField, useLoad } from "./ui";

/** What the candidate would recall: its lots, or every lot. */
export function candidateScope(c: RecallCandidate): string {
  if (c.allLots) return "every lot";
  return `lot ${c.lots.map((l) => l.lot).join(", ")}`;
}

function CandidateCard(props: { candidate: RecallCandidate; onDecided: (message: string) => void }) {
  const c = props.candidate;
  const n = c.notice;
  const [dismissing, setDismissing] = useState(false);
  const [reason, setReason] = useState("");
  const action = useAction();
  const id = c.candidateId;

  async function confirm() {
    const r = await action.run(() => api(AuditService).confirmRecallCandidate({ requestId: requestId(), candidateId: id }));
    if (r) {
      const held = r.recallCase?.holds.map((h) => h.lot).join(", ") || "nothing new";
      props.onDecided(
        `${id} confirmed: recall case ${r.recallCase?.caseId ?? ""} opened, held ${held}, ${String(r.recallCase?.exposed.length ?? 0)} exposed client(s).`,
      );
    }
  }

  async function dismiss(e: Event) {
    e.preventDefault();
    const r = await action.run(() =>
      api(AuditService).dismissRecallCandidate({ requestId: requestId(), candidateId: id, reason: reason.trim() }),
    );
    if (r) props.onDecided(`${id} dismissed: ${r.dismissReason}`);
  }

  return (
    <article class="candidate" aria-labelledby={`rc-${id}`}>
      <h3 id={`rc-${id}`}>
        {c.productName} · {candidateScope(c)}{" "}
        <span class="hint mono">
          {id} · notice {n?.noticeId}
          {n?.classification ? ` (${n.classification})` : ""} of {formatDate(n?.reportDate)}
        </span>
      </h3>
      <dl class="facts">
        <dt>Firm</dt>
        <dd>{n?.recallingFirm}</dd>
        <dt>Product</dt>
        <dd>{n?.productDescription}</dd>
        <dt>Code info</dt>
        <dd>{n?.codeInfo}</dd>
        <dt>Reason</dt>
        <dd>{n?.reason}</dd>
      </dl>
      <Table columns={["Evidence", "Notice says", "Clinic has", "How"]} caption={`Why ${id} matched`}>
        {c.evidence.map((e, i) => (
          <tr key={i}>
            <td>{e.kind.replace(/_/g, " ")}</td>
            <td>{e.noticeWords}</td>
            <td>{e.clinicValue}</td>
            <td>{e.how}</td>
          </tr>
        ))}
      </Table>
      <div class="actions">
        <button type="button" class="danger" disabled={action.busy} onClick={() => void confirm()}>
          Confirm: open the recall case
        </button>
        <button type="button" disabled={action.busy} onClick={() => setDismissing(true)}>
          Dismiss…
        </button>
      </div>
      {dismissing && (
        <form class="subform" onSubmit={(e) => void dismiss(e)} aria-label={`Dismiss ${id}`}>
          <TextField id={`rc-reason-${id}`} label="Why it does not concern the clinic" value={reason} onInput={setReason} required />
          <div class="actions">
            <button type="submit" disabled={action.busy}>
              Dismiss
            </button>
            <button type="button" onClick={() => setDismissing(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <ErrorText message={action.error} />
    </article>
  );
}

/** The dashboard's card of open recall candidates. */
export function RecallCandidates() {
  const open = useLoad(() => api(AuditService).listRecallCandidates({ status: RecallCandidateStatus.OPEN, page: { pageSize: 100 } }), []);
  const [done, setDone] = useState("");
  return (
    <section class="card" aria-labelledby="d-candidates">
      <h2 id="d-candidates">Recall notices to check</h2>
      {done && (
        <p role="status" class="notice">
          {done} <PageLink href="/recalls">Recall cases →</PageLink>
        </p>
      )}
      <LoadState state={open} isEmpty={(r) => r.candidates.length === 0} empty="No recall notice waiting: import one with smptrace recall import FILE.">
        {(r) => (
          <>
            {r.candidates.map((c) => (
              <CandidateCard
                key={c.candidateId}
                candidate={c}
                onDecided={(message) => {
                  setDone(message);
                  open.reload();
                }}
              />
            ))}
          </>
        )}
      </LoadState>
      <p class="hint">Published notices that name a product and a lot the clinic received. Nothing is recalled until you confirm.</p>
    </section>
  );
}
