// The sealed record of a session: verdict, what was used and its checks,
// the seal, and the client's "materials used" certificate (PDF) to open and
// print.

import { useEffect, useState } from "preact/hooks";
import { AuditService, type SterilityRecord } from "../../../gen/smptrace/v1/audit_pb";
import { RecordVerdict } from "../../../gen/smptrace/v1/session_pb";
import { ErrorText } from "../../shell/action";
import { api } from "../../api/client";
import { saveBlob } from "../../api/download";
import { errorText } from "../../api/errors";
import { formatDate, formatTimestamp } from "../../lib/time";

export const VERDICTS: Record<RecordVerdict, { text: string; cls: string }> = {
  [RecordVerdict.UNSPECIFIED]: { text: "unknown", cls: "warn" },
  [RecordVerdict.COMPLIANT]: { text: "COMPLIANT: closed, sealed, no exceptions", cls: "ok" },
  [RecordVerdict.EXCEPTIONS]: { text: "EXCEPTIONS: listed below for the auditor", cls: "warn" },
  [RecordVerdict.OPEN]: { text: "OPEN: not a record yet", cls: "warn" },
  [RecordVerdict.ABORTED]: { text: "ABORTED", cls: "bad" },
};

export function RecordView(props: {
  sessionId: string;
  timeZone: string;
  roomName: (locationId: string) => string;
  onNext: () => void;
}) {
  const [record, setRecord] = useState<SterilityRecord | undefined>(undefined);
  const [pdfUrl, setPdfUrl] = useState("");
  const [error, setError] = useState("");

  useEffect(() => {
    api(AuditService)
      .getSterilityRecord({ sessionId: props.sessionId })
      .then(setRecord)
      .catch((err) => setError(errorText(err)));
  }, [props.sessionId]);
  useEffect(() => () => pdfUrl && URL.revokeObjectURL(pdfUrl), [pdfUrl]);

  async function certificate(): Promise<Blob | undefined> {
    setError("");
    try {
      const r = await api(AuditService).getSterilityRecord({ sessionId: props.sessionId, certificatePdf: true });
      return new Blob([r.certificatePdf as Uint8Array<ArrayBuffer>], { type: "application/pdf" });
    } catch (err) {
      setError(errorText(err));
      return undefined;
    }
  }

  async function openCertificate() {
    const blob = await certificate();
    if (!blob) return;
    const url = URL.createObjectURL(blob);
    setPdfUrl(url);
    window.open(url, "_blank", "noopener");
  }

  async function downloadCertificate() {
    const blob = await certificate();
    if (blob) saveBlob(blob, `certificate-${props.sessionId}.pdf`);
  }

  const s = record?.session;
  const v = record ? VERDICTS[record.verdict] : undefined;
  return (
    <section class="card" aria-labelledby="record-h">
      <h2 id="record-h">Record of {props.sessionId}</h2>
      <ErrorText message={error} />
      {!record || !s ? (
        !error && <p role="status">Loading the record…</p>
      ) : (
        <>
          <p class={`verdict ${v?.cls}`}>
            <strong>{v?.text}</strong>
            {record.verdict === RecordVerdict.ABORTED && s.endReason && `: ${s.endReason}`}
          </p>
          <p>
            Client {s.clientCode} · {s.practitioner} · {props.roomName(s.locationId)} · {s.treatmentArea} · started{" "}
            {formatTimestamp(s.startedAt, props.timeZone)} · {record.verdict === RecordVerdict.ABORTED ? "aborted" : "closed"}{" "}
            {formatTimestamp(s.endedAt, props.timeZone)}
          </p>
          {s.seal && (
            <p class="hint">
              Sealed at journal entry {String(s.seal.seq)} ({formatTimestamp(s.seal.at, props.timeZone)}) · hash{" "}
              <span class="mono">{s.seal.hash}</span>
            </p>
          )}
          <table>
            <thead>
              <tr>
                <th scope="col">Item</th>
                <th scope="col">Lot · expiry</th>
                <th scope="col">Now</th>
                <th scope="col">Disposed</th>
              </tr>
            </thead>
            <tbody>
              {record.consumables.map((c) => {
                const u = c.use;
                if (!u) return null;
                return (
                  <tr key={String(u.seq)} class={u.voided ? "voided" : ""}>
                    <td>
                      {u.productName}
                      <div class="hint">{u.serial && `serial ${u.serial}`}</div>
                    </td>
                    <td>
                      {u.lot} · {formatDate(u.expiry)}
                    </td>
                    <td>{c.statusNow}</td>
                    <td>{u.containerId ? `${u.containerId} · ${formatTimestamp(u.disposedAt, props.timeZone)}` : u.pigmentDraw ? "bottle stays open" : "—"}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {s.exceptions.length > 0 && (
            <>
              <h3>Exceptions</h3>
              <ul>
                {s.exceptions.map((x) => (
                  <li key={String(x.seq)}>
                    <strong>{x.kind}</strong>: {x.detail}
                  </li>
                ))}
              </ul>
            </>
          )}
          <div class="actions">
            <button type="button" class="primary" onClick={() => void openCertificate()}>
              Open the certificate (PDF) to print
            </button>
            <button type="button" onClick={() => void downloadCertificate()}>
              Download the certificate
            </button>
            <button type="button" onClick={props.onNext}>
              Next client →
            </button>
          </div>
        </>
      )}
    </section>
  );
}
