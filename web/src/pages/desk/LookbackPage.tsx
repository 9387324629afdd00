// Lookback: from a lot (or every lot of a product) back to where it came
// from and forward to the sessions that used it and the clients exposed.
// Calls TraceLot or TraceProduct.

import { useState } from "preact/hooks";
import { Role } from "../../../gen/smptrace/v1/admin_pb";
import { AuditService, type TraceResponse } from "../../../gen/smptrace/v1/audit_pb";
import { SessionStatus } from "../../../gen/smptrace/v1/session_pb";
import { api } from "../../api/client";
import { formatDate, formatTimestamp } from "../../lib/time";
import type { Page, PageProps } from "../page";
import { LotStatusBadge } from "./StockTable";
import { ErrorText, useAction } from "../../shell/action";
import { PageHead, Table, TextField, enumLabel, num } from "./ui";

function Lookback({ who }: PageProps) {
  const q = new URLSearchParams(location.search);
  const [gtin, setGtin] = useState(q.get("gtin") ?? "");
  const [lot, setLot] = useState(q.get("lot") ?? "");
  const [trace, setTrace] = useState<TraceResponse | undefined>(undefined);
  const [asked, setAsked] = useState("");
  const action = useAction();
  const tz = who.clinicTimeZone;

  async function run(e: Event) {
    e.preventDefault();
    const g = gtin.trim();
    const l = lot.trim();
    if (!g) {
      action.setError("GTIN: type or scan the product's GTIN.");
      return;
    }
    setTrace(undefined);
    const r = await action.run(() =>
      l ? api(AuditService).traceLot({ gtin: g, lot: l }) : api(AuditService).traceProduct({ gtin: g }),
    );
    if (r) {
      setTrace(r);
      setAsked(l ? `lot ${l} of ${g}` : `every lot of ${g}`);
    }
  }

  return (
    <div class="desk">
      <PageHead title="Lookback">Who was exposed to a lot: where it came from, the sessions that used it, the clients.</PageHead>
      <section class="card" aria-labelledby="t-ask">
        <h2 id="t-ask">Trace</h2>
        <form class="row" onSubmit={run}>
          <TextField id="t-gtin" label="GTIN" value={gtin} onInput={setGtin} />
          <TextField id="t-lot" label="Lot (blank: every lot of the product)" value={lot} onInput={setLot} />
          <div>
            <button type="submit" class="primary" disabled={action.busy}>
              Trace
            </button>
          </div>
        </form>
        <ErrorText message={action.error} />
      </section>
      {trace && <TraceView trace={trace} asked={asked} timeZone={tz} />}
    </div>
  );
}

function TraceView(props: { trace: TraceResponse; asked: string; timeZone: string }) {
  const { trace } = props;
  const tz = props.timeZone;
  const exposedCodes = new Map(trace.sessions.map((s) => [s.clientId, s.clientCode]));
  return (
    <>
      <section class="card" aria-labelledby="t-exposed">
        <h2 id="t-exposed" aria-live="polite" aria-atomic="true">
          {trace.exposedClientIds.length === 0
            ? `No client was exposed to ${props.asked}`
            : `${trace.exposedClientIds.length} client${trace.exposedClientIds.length === 1 ? "" : "s"} exposed to ${props.asked}`}
        </h2>
        <p>
          {trace.product?.name} · {String(trace.unitsExamined)} units examined · {trace.sessions.length} session
          {trace.sessions.length === 1 ? "" : "s"} used them
        </p>
        {trace.exposedClientIds.length > 0 && (
          <ul class="chips">
            {trace.exposedClientIds.map((id) => (
              <li key={id}>
                <strong>{exposedCodes.get(id) ?? id}</strong> <span class="hint mono">{id}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section class="card" aria-labelledby="t-lots">
        <h2 id="t-lots">Lots: where they came from, where they are</h2>
        {trace.lots.length === 0 ? (
          <p class="empty">No lot of this product was ever received.</p>
        ) : (
          <Table
            columns={[
              "Lot",
              "Status",
              "Supplier",
              "Receipts",
              num("Units"),
              num("In stock"),
              num("Opened"),
              num("Disposed"),
              num("Discarded"),
            ]}
          >
            {trace.lots.map((t) => (
              <tr key={t.lot?.lot}>
                <td>
                  {t.lot?.lot}
                  <div class="hint">expires {formatDate(t.lot?.expiry) || "never"}</div>
                </td>
                <td>{t.lot && <LotStatusBadge status={t.lot.status} />}</td>
                <td>{t.supplierName || t.supplierId || "—"}</td>
                <td>
                  {t.receipts.map((r, i) => (
                    <div key={i}>
                      {formatTimestamp(r.receivedAt, tz)} · {String(r.units)} into {r.locationId}
                      {r.poReference && ` · ${r.poReference}`}
                    </div>
                  ))}
                  {t.adjustments.map((a, i) => (
                    <div key={`a${i}`} class="hint">
                      {formatTimestamp(a.adjustedAt, tz)} · {String(a.units)} found at {a.locationId}: {a.reason}
                    </div>
                  ))}
                </td>
                <td class="num">{String(t.units)}</td>
                <td class="num">{String(t.inStock)}</td>
                <td class="num">{String(t.opened)}</td>
                <td class="num">{String(t.disposed)}</td>
                <td class="num">{String(t.discarded)}</td>
              </tr>
            ))}
          </Table>
        )}
      </section>

      <section class="card" aria-labelledby="t-sessions">
        <h2 id="t-sessions">Sessions that used them</h2>
        {trace.sessions.length === 0 ? (
          <p class="empty">No session used a unit of {props.asked}.</p>
        ) : (
          <Table columns={["Session", "Client", "Started", "Room", "Status", "Units (GTIN lot serial)"]}>
            {trace.sessions.map((s) => (
              <tr key={s.sessionId} class={s.voidedOnly ? "voided" : ""}>
                <td class="mono keep">{s.sessionId}</td>
                <td class="keep nowrap">{s.clientCode}</td>
                <td>{formatTimestamp(s.startedAt, tz)}</td>
                <td>{s.locationId}</td>
                <td class="keep">
                  {enumLabel(SessionStatus, s.status)}
                  {s.voidedOnly && <div class="hint">every use voided: not exposed</div>}
                </td>
                <td class="mono">
                  {s.units.map((u) => (
                    <div key={u}>{u}</div>
                  ))}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </section>
    </>
  );
}

export const lookbackPage: Page = {
  path: "/lookback",
  title: "Lookback",
  roles: [Role.AUDITOR, Role.MANAGER],
  component: Lookback,
};
