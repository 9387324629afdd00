// A session's sterility record for the auditor: the verdict, each item used
// with what was checked at the time and its lot's status now, the
// exceptions, the seal, and the journal entries that prove it; the
// inspector's record as a PDF. Sessions are found by period. Calls
// ListSessions, GetSterilityRecord, GetInspectionRecord.

import { useState } from "preact/hooks";
import { Role } from "../../../gen/smptrace/v1/admin_pb";
import { AuditService, type SterilityRecord } from "../../../gen/smptrace/v1/audit_pb";
import { RecordVerdict, ScreeningVerdict, SessionService, type SessionLine } from "../../../gen/smptrace/v1/session_pb";
import { api } from "../../api/client";
import { lastDays, periodOfDays } from "../../lib/period";
import { formatDate, formatTimestamp } from "../../lib/time";
import { VERDICTS } from "../kiosk/RecordView";
import type { Page, PageProps } from "../page";
import { allPages } from "./calls";
import { PeriodPicker } from "./PeriodPicker";
import { ErrorText, useAction } from "../../shell/action";
import { PageHead, Table, TextField, enumLabel, num, openPdf } from "./ui";

function Records({ who }: PageProps) {
  const tz = who.clinicTimeZone;
  const initial = lastDays(7, new Date(), tz);
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [sessions, setSessions] = useState<SessionLine[] | undefined>(undefined);
  const [sessionId, setSessionId] = useState(new URLSearchParams(location.search).get("session") ?? "");
  const [record, setRecord] = useState<SterilityRecord | undefined>(undefined);
  const list = useAction();
  const one = useAction();

  async function find(e: Event) {
    e.preventDefault();
    const r = await list.run(async () => {
      const period = periodOfDays(from, to, tz);
      return allPages(async (pageToken) => {
        const page = await api(SessionService).listSessions({ ...period, page: { pageSize: 1000, pageToken } });
        return { items: page.sessions, next: page.nextPageToken };
      });
    });
    setSessions(r);
  }

  async function show(id: string) {
    const wanted = id.trim();
    if (!wanted) {
      one.setError("Session: type a session id (SES-…) or choose one from the list.");
      return;
    }
    setSessionId(wanted);
    setRecord(undefined);
    const r = await one.run(() => api(AuditService).getSterilityRecord({ sessionId: wanted }));
    if (r) {
      setRecord(r);
      history.replaceState(null, "", `/records?session=${encodeURIComponent(wanted)}`);
      document.getElementById("rec")?.scrollIntoView();
    }
  }

  return (
    <div class="desk">
      <PageHead title="Sterility records">A session's record with the journal entries that prove it.</PageHead>
      <div class="columns">
        <section class="card" aria-labelledby="s-find">
          <h2 id="s-find">Sessions in a period</h2>
          <form onSubmit={find}>
            <PeriodPicker idPrefix="s" from={from} to={to} timeZone={tz} onChange={(f, t) => (setFrom(f), setTo(t))} />
            <button type="submit" class="primary" disabled={list.busy}>
              List the sessions
            </button>
          </form>
          <ErrorText message={list.error} />
          {sessions &&
            (sessions.length === 0 ? (
              <p class="empty">No session started in this period.</p>
            ) : (
              <Table columns={["Session", "Client", "Started", "Verdict"]}>
                {sessions.map((s) => (
                  <tr key={s.sessionId} aria-current={s.sessionId === record?.session?.sessionId ? "true" : undefined}>
                    <td>
                      <button type="button" class="link mono" onClick={() => void show(s.sessionId)}>
                        {s.sessionId}
                      </button>
                    </td>
                    <td class="nowrap">{s.clientCode}</td>
                    <td>{formatTimestamp(s.startedAt, tz)}</td>
                    <td>
                      <span class={`badge ${VERDICTS[s.verdict].cls}`}>{enumLabel(RecordVerdict, s.verdict)}</span>{" "}
                      {s.exceptions > 0 && <span class="badge warn">{s.exceptions} exception{s.exceptions === 1 ? "" : "s"}</span>}
                    </td>
                  </tr>
                ))}
              </Table>
            ))}
        </section>
        <section class="card" aria-labelledby="s-one">
          <h2 id="s-one">One session</h2>
          <form
            class="row"
            onSubmit={(e) => {
              e.preventDefault();
              void show(sessionId);
            }}
          >
            <TextField id="s-id" label="Session id" value={sessionId} onInput={setSessionId} placeholder="SES-000001" />
            <div>
              <button type="submit" class="primary" disabled={one.busy}>
                Show the record
              </button>
            </div>
          </form>
          <ErrorText message={one.error} />
        </section>
      </div>
      {record && <RecordDetail record={record} timeZone={tz} />}
    </div>
  );
}

function RecordDetail(props: { record: SterilityRecord; timeZone: string }) {
  const { record } = props;
  const s = record.session;
  const tz = props.timeZone;
  const pdf = useAction();
  if (!s) return null;
  const v = VERDICTS[record.verdict];

  async function inspection() {
    const r = await pdf.run(() => api(AuditService).getInspectionRecord({ sessionId: s!.sessionId, pdf: true }));
    if (r) openPdf(r.pdf, `inspection-${s!.sessionId}.pdf`);
  }

  return (
    <section class="card" id="rec" aria-labelledby="rec-h">
      <h2 id="rec-h">Record of {s.sessionId}</h2>
      <p class={`verdict ${v.cls}`}>
        <strong>{v.text}</strong>
      </p>
      <dl class="facts">
        <dt>Client</dt>
        <dd>
          {s.clientCode} <span class="hint mono">{s.clientId}</span>
        </dd>
        <dt>Practitioner · room</dt>
        <dd>
          {s.practitioner} · {s.locationId}
        </dd>
        <dt>Treatment</dt>
        <dd>{s.treatmentArea || "—"}</dd>
        <dt>Screening</dt>
        <dd>
          {s.screening ? enumLabel(ScreeningVerdict, s.screening.verdict) : "—"}
          {s.screening?.override && (
            <div class="hint">
              BLOCKED, approved by {s.screening.override.manager} ({formatTimestamp(s.screening.override.approvedAt, tz)}): {s.screening.override.reason}
            </div>
          )}
        </dd>
        <dt>Started · ended</dt>
        <dd>
          {formatTimestamp(s.startedAt, tz)} · {formatTimestamp(s.endedAt, tz) || "still open"}
          {s.endReason && <div class="hint">{s.endReason}</div>}
        </dd>
        <dt>Seal</dt>
        <dd>
          {s.seal ? (
            <>
              journal entry {String(s.seal.seq)} · {formatTimestamp(s.seal.at, tz)} · <span class="mono">{s.seal.hash}</span>
            </>
          ) : (
            "not sealed"
          )}
        </dd>
      </dl>

      <h3>What was used</h3>
      {record.consumables.length === 0 ? (
        <p class="empty">Nothing was scanned in this session.</p>
      ) : (
        <Table columns={["Entry", "Item", "Lot · expiry", "Checked at the time", "Lot now", "Disposed"]}>
          {record.consumables.map((c) => {
            const u = c.use;
            if (!u) return null;
            return (
              <tr key={String(u.seq)} class={u.voided ? "voided" : ""}>
                <td class="mono keep">{String(u.seq)}</td>
                <td>
                  {u.productName}
                  <div class="hint mono">
                    {u.gtin} {u.serial}
                  </div>
                  <div class="hint">
                    {formatTimestamp(u.scannedAt, tz)} by {u.scannedBy}
                  </div>
                  {u.voided && (
                    <div class="keep badge warn">
                      voided (entry {String(u.voidSeq)}): {u.voidReason}
                    </div>
                  )}
                </td>
                <td>
                  {u.lot} · {formatDate(u.expiry) || "—"}
                </td>
                <td>
                  <ul class="plain">
                    {u.checks.map((x) => (
                      <li key={x}>✔ {x}</li>
                    ))}
                  </ul>
                </td>
                <td>{c.statusNow}</td>
                <td>{u.containerId ? `${u.containerId} · ${formatTimestamp(u.disposedAt, tz)}` : u.pigmentDraw ? "bottle stays open" : "—"}</td>
              </tr>
            );
          })}
        </Table>
      )}

      <h3>Exceptions</h3>
      {s.exceptions.length === 0 ? (
        <p class="empty">No exceptions.</p>
      ) : (
        <ul>
          {s.exceptions.map((x) => (
            <li key={String(x.seq)}>
              <strong>{x.kind.replace(/_/g, " ")}</strong> (entry {String(x.seq)}): {x.detail}
            </li>
          ))}
        </ul>
      )}

      <h3>The journal entries that prove it</h3>
      {record.proof.length === 0 ? (
        <p class="empty">No journal entries.</p>
      ) : (
        <Table columns={[num("Entry"), "When", "What it recorded", "Hash (SHA-256, chained)"]} class="proof">
          {record.proof.map((p) => (
            <tr key={String(p.seq)}>
              <td class="num mono">{String(p.seq)}</td>
              <td>{formatTimestamp(p.time, tz)}</td>
              <td>{p.what}</td>
              <td class="mono hash">{p.hash}</td>
            </tr>
          ))}
        </Table>
      )}
      <div class="actions">
        <button type="button" class="primary" disabled={pdf.busy} onClick={() => void inspection()}>
          The inspector's record (PDF)
        </button>
        <span class="hint">With a fresh check of the whole journal. The read is recorded on the client's record.</span>
      </div>
      <ErrorText message={pdf.error} />
    </section>
  );
}

export const recordsPage: Page = {
  path: "/records",
  title: "Records",
  roles: [Role.AUDITOR],
  component: Records,
};
