// Step 4: dispose. Scan each used unit into the room's open sharps
// container (or open one); the list shows what is still to dispose.

import { useEffect, useRef, useState } from "preact/hooks";
import { ContainerStatus, DisposalService, SessionService, type Container, type Session } from "../../../gen/smptrace/v1/session_pb";
import { ErrorText } from "../../shell/action";
import { api, requestId } from "../../api/client";
import { errorText } from "../../api/errors";
import { formatDate } from "../../lib/time";
import { awaitingDisposal } from "./disposal";
import { ScanField } from "./ScanField";
import { ScanResult } from "./ScanResult";
import { useScanQueue } from "./useScanQueue";

export function DisposeStep(props: {
  session: Session;
  onSession: (s: Session) => void;
  onBack: () => void;
  onNext: () => void;
}) {
  const { session } = props;
  const [containers, setContainers] = useState<Container[] | undefined>(undefined);
  const [containerId, setContainerId] = useState("");
  const [label, setLabel] = useState("");
  const [error, setError] = useState("");
  // The list is read again after each disposal; only the latest read counts
  // (answers can arrive out of order).
  const reads = useRef(0);

  useEffect(() => {
    api(DisposalService)
      .listContainers({ locationId: session.locationId, status: ContainerStatus.OPEN })
      .then((r) => {
        setContainers(r.containers);
        if (r.containers.length > 0) setContainerId(r.containers[r.containers.length - 1].containerId);
      })
      .catch((err) => setError(errorText(err)));
  }, [session.locationId]);

  async function openContainer(e: Event) {
    e.preventDefault();
    setError("");
    try {
      const c = await api(DisposalService).openContainer({
        requestId: requestId(),
        locationId: session.locationId,
        label: label.trim(),
      });
      setContainers((cs) => [...(cs ?? []), c]);
      setContainerId(c.containerId);
    } catch (err) {
      setError(errorText(err));
    }
  }

  const queue = useScanQueue(async (barcode) => {
    const res = await api(DisposalService).dispose({
      requestId: requestId(),
      containerId,
      barcode,
      sessionId: session.sessionId,
    });
    const u = res.unit;
    return {
      title: `Into ${res.container?.containerId ?? containerId}`,
      details: [
        u ? `${u.gtin} · serial ${u.serial} · lot ${u.lot}` : barcode,
        `${res.container?.unitCount ?? "?"} inside`,
      ],
      // The ✔ first; the list of what is still to dispose a frame later.
      after: () => {
        const read = ++reads.current;
        api(SessionService)
          .getSession({ sessionId: session.sessionId })
          .then((r) => read === reads.current && r.session && props.onSession(r.session))
          .catch((err) => setError(errorText(err)));
      },
    };
  });

  const left = awaitingDisposal(session.consumables);
  return (
    <div class="columns">
      <section class="card" aria-labelledby="dispose-h">
        <h2 id="dispose-h">Dispose into the sharps container</h2>
        {containers === undefined ? (
          <p role="status">Looking for the room's sharps container…</p>
        ) : containers.length === 0 ? (
          <form onSubmit={openContainer}>
            <p>No sharps container is open in this room: open a new one.</p>
            <label for="c-label">As written on it</label>
            <div class="row">
              <input id="c-label" value={label} placeholder="e.g. 5 L yellow, Room 1" onInput={(e) => setLabel(e.currentTarget.value)} />
              <button type="submit" class="primary">
                Open container
              </button>
            </div>
          </form>
        ) : (
          <>
            <label for="container">Container</label>
            <select id="container" value={containerId} onChange={(e) => setContainerId(e.currentTarget.value)}>
              {containers.map((c) => (
                <option key={c.containerId} value={c.containerId}>
                  {c.containerId} · {c.label} · {String(c.unitCount)} inside
                </option>
              ))}
            </select>
            <ScanField
              label="Scanner"
              hint="Scan each used cartridge's label as it goes into the container."
              scope={`${session.sessionId}/dispose`}
              onScan={queue.scan}
            />
            <ScanResult outcome={queue.outcome} pending={queue.pending} idleText="Scan the first used unit." />
          </>
        )}
        <ErrorText message={error} />
        <div class="actions">
          <button type="button" onClick={props.onBack}>
            ← Scan more
          </button>
          <button type="button" class="primary" onClick={props.onNext}>
            Close the session →
          </button>
        </div>
      </section>
      <section class="card" aria-labelledby="left-h">
        <h2 id="left-h">Still to dispose ({left.length})</h2>
        {left.length === 0 ? (
          <p class="badge ok">Everything is in a container.</p>
        ) : (
          <ul>
            {left.map((u) => (
              <li key={String(u.seq)}>
                {u.productName} · serial {u.serial} · lot {u.lot} · {formatDate(u.expiry)}
                {u.voided && " (voided as opened)"}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
