// Recall cases: each case's notice, scope, exposure and who has been
// notified; the notification worksheet (contact details: each read is
// recorded on the client's record, so only on request) and the exposure
// report PDF. Calls ListRecallCases, GetRecallWorksheet, GetRecallCase.

import { useState } from "preact/hooks";
import { Role } from "../../../gen/smptrace/v1/admin_pb";
import { AuditService, RecallCaseStatus, type RecallCase, type RecallWorksheet } from "../../../gen/smptrace/v1/audit_pb";
import { api } from "../../api/client";
import { formatDate, formatTimestamp } from "../../lib/time";
import type { Page, PageProps } from "../page";
import { allPages } from "./calls";
import { ErrorText, useAction } from "../../shell/action";
import { LoadState, PageHead, Table, enumLabel, num, openPdf, useLoad } from "./ui";

function scope(c: RecallCase): string {
  if (c.productGtin) return `every lot of ${c.productGtin}`;
  return c.lots.map((l) => `${l.gtin} lot ${l.lot}`).join(", ");
}

function Recalls({ who }: PageProps) {
  const cases = useLoad(
    () =>
      allPages(async (pageToken) => {
        const r = await api(AuditService).listRecallCases({ page: { pageSize: 1000, pageToken } });
        return { items: r.cases, next: r.nextPageToken };
      }),
    [],
  );
  const [picked, setPicked] = useState("");
  const tz = who.clinicTimeZone;

  return (
    <div class="desk">
      <PageHead title="Recall cases">Each recall notice: what it covers, who was exposed, who has been told.</PageHead>
      <section class="card" aria-labelledby="rc-list">
        <h2 id="rc-list">Cases</h2>
        <LoadState state={cases} isEmpty={(l) => l.length === 0} empty="No recall cases: no recall notice has been opened as a case.">
          {(list) => (
            <Table columns={["Case", "Notice", "Scope", "Opened", num("Exposed"), num("Notified"), "Status"]}>
              {[...list].reverse().map((c) => {
                const notified = c.exposed.filter((x) => x.notified).length;
                return (
                  <tr key={c.caseId} aria-current={c.caseId === picked ? "true" : undefined}>
                    <td>
                      <button type="button" class="link mono" onClick={() => setPicked(c.caseId)}>
                        {c.caseId}
                      </button>
                      {c.drill && <span class="badge warn">drill</span>}
                    </td>
                    <td>
                      <strong>{c.notice?.reference}</strong>
                      <div class="hint">{formatDate(c.notice?.noticeDate)}</div>
                    </td>
                    <td>{scope(c)}</td>
                    <td>
                      {formatTimestamp(c.openedAt, tz)} <span class="hint">by {c.openedBy}</span>
                    </td>
                    <td class="num">{c.exposed.length}</td>
                    <td class="num">
                      {notified < c.exposed.length ? <span class="badge bad">{notified}</span> : <span class="badge ok">{notified}</span>}
                    </td>
                    <td>{enumLabel(RecallCaseStatus, c.status)}</td>
                  </tr>
                );
              })}
            </Table>
          )}
        </LoadState>
      </section>
      {picked && cases.data && (
        <CaseDetail key={picked} c={cases.data.find((c) => c.caseId === picked)!} timeZone={tz} />
      )}
    </div>
  );
}

function CaseDetail(props: { c: RecallCase; timeZone: string }) {
  const { c } = props;
  const tz = props.timeZone;
  const [sheet, setSheet] = useState<RecallWorksheet | undefined>(undefined);
  const ws = useAction();
  const pdf = useAction();

  async function worksheet() {
    const r = await ws.run(() => api(AuditService).getRecallWorksheet({ caseId: c.caseId }));
    if (r) setSheet(r);
  }
  async function report() {
    const r = await pdf.run(() => api(AuditService).getRecallCase({ caseId: c.caseId, exposureReportPdf: true }));
    if (r) openPdf(r.exposureReportPdf, `exposure-${c.caseId}.pdf`);
  }
  const contacts = new Map(sheet?.clients.map((w) => [w.exposed?.clientId ?? "", w]) ?? []);

  return (
    <section class="card" aria-labelledby="rc-one">
      <h2 id="rc-one">
        {c.caseId}: {c.notice?.reference} {c.drill && <span class="badge warn">drill: nothing held</span>}
      </h2>
      <p class="notice">{c.notice?.text}</p>
      <dl class="facts">
        <dt>Scope</dt>
        <dd>{scope(c)}</dd>
        <dt>Units</dt>
        <dd>
          {String(c.unitsInScope)} in scope, {String(c.unitsInStock)} still in stock when opened
        </dd>
        <dt>Lots put on recall</dt>
        <dd>{c.holds.length ? c.holds.map((h) => `${h.gtin} ${h.lot}`).join(", ") : "none"}</dd>
        <dt>Status</dt>
        <dd>
          {enumLabel(RecallCaseStatus, c.status)}
          {c.closedAt && ` · closed ${formatTimestamp(c.closedAt, tz)}`}
          {c.closeReason && `: ${c.closeReason}`}
        </dd>
      </dl>
      <h3>Exposed clients</h3>
      {c.exposed.length === 0 ? (
        <p class="empty">No client was exposed.</p>
      ) : (
        <Table
          columns={[
            "Client",
            "Sessions and units",
            "Notified",
            ...(sheet ? ["How to reach them"] : []),
          ]}
        >
          {c.exposed.map((x) => {
            const w = contacts.get(x.clientId);
            return (
              <tr key={x.clientId}>
                <td>
                  <strong>{x.clientCode}</strong>
                  <div class="hint mono">{x.clientId}</div>
                </td>
                <td class="mono">
                  {x.sessions.map((s) => (
                    <div key={s}>{s}</div>
                  ))}
                </td>
                <td>
                  {x.notified ? (
                    <>
                      <span class="badge ok">notified</span> {formatTimestamp(x.notifiedAt, tz)} by {x.notifiedBy} ({x.channel})
                      {x.note && <div class="hint">{x.note}</div>}
                    </>
                  ) : (
                    <span class="badge bad">not yet</span>
                  )}
                </td>
                {sheet && (
                  <td>
                    {w?.contact?.name ? (
                      <>
                        {w.contact.name}
                        <div>{w.contact.phone}</div>
                        <div>{w.contact.email}</div>
                        <div class="pre">{w.contact.postalAddress}</div>
                      </>
                    ) : (
                      <span class="empty">no contact details on record</span>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </Table>
      )}
      <div class="actions">
        {!sheet && c.exposed.length > 0 && (
          <button type="button" disabled={ws.busy} onClick={() => void worksheet()}>
            Show contact details (worksheet)
          </button>
        )}
        <button type="button" class="primary" disabled={pdf.busy} onClick={() => void report()}>
          Exposure report (PDF)
        </button>
      </div>
      {!sheet && c.exposed.length > 0 && <p class="hint">Reading contact details is recorded on each client's record.</p>}
      {sheet && (
        <p role="status">
          {sheet.notified} notified, {sheet.notNotified} still to notify.
        </p>
      )}
      <ErrorText message={ws.error || pdf.error} />
    </section>
  );
}

export const recallsPage: Page = {
  path: "/recalls",
  title: "Recalls",
  roles: [Role.AUDITOR, Role.MANAGER],
  component: Recalls,
};
