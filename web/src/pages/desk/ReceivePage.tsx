// Receiving a delivery by scanning: each label read adds to a running count
// (the same label again is one more item), then one Receive takes them all
// in, or none. Units smptrace serialised need labels: their sheet (PDF) is
// one click away. Calls ListLocations, ListSuppliers, Receive, PrintLabels.

import { Fragment } from "preact";
import { useState } from "preact/hooks";
import { Role } from "../../../gen/smptrace/v1/admin_pb";
import { CatalogService, LocationKind } from "../../../gen/smptrace/v1/catalog_pb";
import { InventoryService, LabelFormat, type ReceiveResponse } from "../../../gen/smptrace/v1/inventory_pb";
import { api, requestId } from "../../api/client";
import { formatDate } from "../../lib/time";
import { ScanField } from "../kiosk/ScanField";
import type { Page, PageProps } from "../page";
import { addScan, setQuantity, tallyCount, type TallyLine } from "./receive";
import { LotStatusBadge } from "./StockTable";
import { ErrorText, useAction } from "../../shell/action";
import { PageHead, SelectField, Table, TextField, choicesOf, num, openPdf, useLoad } from "./ui";

function Receive(_: PageProps) {
  const locations = useLoad(() => api(CatalogService).listLocations({ page: { pageSize: 1000 } }), []);
  const suppliers = useLoad(() => api(CatalogService).listSuppliers({ page: { pageSize: 1000 } }), []);
  const [locationId, setLocationId] = useState("");
  const [supplierId, setSupplierId] = useState("");
  const [po, setPo] = useState("");
  const [poNote, setPoNote] = useState("");
  const [acceptExpired, setAcceptExpired] = useState(false);
  const [lines, setLines] = useState<TallyLine[]>([]);
  const [last, setLast] = useState("");
  const [done, setDone] = useState<ReceiveResponse | undefined>(undefined);
  const [batch, setBatch] = useState(1);
  const action = useAction();
  const labels = useAction();

  const count = tallyCount(lines);
  // A delivery goes to a store by default (the stock room), else the first place.
  const all = locations.data?.locations ?? [];
  const location = locationId || (all.find((l) => l.kind === LocationKind.STORE) ?? all[0])?.locationId || "";
  const locationName = all.find((l) => l.locationId === location)?.name ?? location;

  async function receive() {
    if (!location) {
      action.setError("Location: choose where the delivery goes.");
      return;
    }
    const r = await action.run(() =>
      api(InventoryService).receive({
        requestId: requestId(),
        locationId: location,
        supplierId,
        poReference: po.trim(),
        poNote: poNote.trim(),
        acceptExpired,
        lines: lines.map((l) => ({ barcode: l.barcode, quantity: l.quantity })),
      }),
    );
    if (r) {
      setDone(r);
      setLines([]);
      setLast("");
      setBatch((b) => b + 1);
    }
  }

  async function printLabels(r: ReceiveResponse) {
    const units = r.lines
      .filter((l) => l.serialsMinted)
      .flatMap((l) => l.serials.map((serial) => ({ gtin: l.lot?.gtin ?? "", serial })));
    const res = await labels.run(() => api(InventoryService).printLabels({ units, format: LabelFormat.PDF }));
    if (res) openPdf(res.content, "labels.pdf");
  }

  const received = done?.lines.reduce((n, l) => n + l.serials.length, 0) ?? 0;
  const minted = done?.lines.filter((l) => l.serialsMinted).reduce((n, l) => n + l.serials.length, 0) ?? 0;

  return (
    <div class="desk">
      <PageHead title="Receive a delivery">
        Scan every item's label; the same label again counts one more. Nothing is stored until you press Receive.
      </PageHead>
      <div class="columns">
        <section class="card" aria-labelledby="r-scan">
          <h2 id="r-scan">Scan the items</h2>
          <ScanField
            label="Scanner"
            hint="Scan a label, or type it and press Enter. CR, LF, CR+LF and Tab endings all work."
            scope={`receive-${batch}`}
            keepRepeats
            disabled={action.busy}
            onScan={(code) => {
              setDone(undefined);
              setLast(code);
              setLines((ls) => addScan(ls, code));
            }}
          />
          <p class="count" aria-live="polite">
            <strong>{count}</strong> item{count === 1 ? "" : "s"} scanned, {lines.length} label
            {lines.length === 1 ? "" : "s"}
            {last && (
              <>
                {" "}
                · last: <span class="mono">{last}</span>
              </>
            )}
          </p>
          {lines.length === 0 ? (
            <p class="empty">Nothing scanned yet.</p>
          ) : (
            <Table columns={["Label", num("How many"), { label: "Remove", hidden: true }]}>
              {lines.map((l, i) => (
                <tr key={l.barcode}>
                  <td class="mono barcode">
                    <BarcodeText text={l.barcode} />
                  </td>
                  <td class="num">
                    <input
                      class="qty"
                      type="number"
                      min={1}
                      aria-label={`How many of label ${i + 1}`}
                      value={l.quantity}
                      onChange={(e) => setLines((ls) => setQuantity(ls, l.barcode, Number((e.target as HTMLInputElement).value)))}
                    />
                  </td>
                  <td>
                    <button type="button" class="small" onClick={() => setLines((ls) => setQuantity(ls, l.barcode, 0))}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </section>

        <section class="card" aria-labelledby="r-where">
          <h2 id="r-where">Where it goes</h2>
          <SelectField
            id="r-location"
            label="Location"
            value={location}
            onChange={setLocationId}
            choices={choicesOf(locations.data?.locations, (l) => l.locationId, (l) => l.name)}
          />
          <ErrorText message={locations.error} />
          <SelectField
            id="r-supplier"
            label="Supplier (optional)"
            value={supplierId}
            onChange={setSupplierId}
            choices={choicesOf(suppliers.data?.suppliers, (s) => s.supplierId, (s) => s.name)}
            blank="—"
          />
          <TextField id="r-po" label="Purchase order (optional)" value={po} onInput={setPo} placeholder="PO-000001" />
          {po.trim() && (
            <TextField
              id="r-po-note"
              label="Why it differs from the order (if it does)"
              value={poNote}
              onInput={setPoNote}
            />
          )}
          <label class="check" for="r-expired">
            <input id="r-expired" type="checkbox" checked={acceptExpired} onChange={(e) => setAcceptExpired((e.target as HTMLInputElement).checked)} />
            Accept an already expired lot (it is put on hold)
          </label>
          <ErrorText message={action.error} />
          <div class="actions">
            <button type="button" class="primary" disabled={count === 0 || action.busy} onClick={() => void receive()}>
              Receive {count} item{count === 1 ? "" : "s"}
            </button>
            <button type="button" disabled={count === 0 || action.busy} onClick={() => setLines([])}>
              Start over
            </button>
          </div>
        </section>
      </div>

      {done && (
        <section class="card" aria-labelledby="r-done">
          <h2 id="r-done" aria-live="polite" aria-atomic="true">
            Received {received} unit{received === 1 ? "" : "s"} into {locationName}
          </h2>
          <Table columns={["Product", "Lot", "Expiry", "Status", num("Units"), "Serials"]}>
            {done.lines.map((l, i) => (
              <tr key={i}>
                <td>{l.product?.name}</td>
                <td>
                  {l.lot?.lot} {l.newLot && <span class="badge ok">new lot</span>}
                </td>
                <td>{formatDate(l.lot?.expiry) || "—"}</td>
                <td>{l.lot && <LotStatusBadge status={l.lot.status} />}</td>
                <td class="num">{l.serials.length}</td>
                <td class="hint">{l.serialsMinted ? "smptrace's own: print labels" : "the manufacturer's"}</td>
              </tr>
            ))}
          </Table>
          {minted > 0 && (
            <div class="actions">
              <button type="button" class="primary" disabled={labels.busy} onClick={() => void printLabels(done)}>
                Print {minted} label{minted === 1 ? "" : "s"} (PDF)
              </button>
              <span class="hint">Stick one on each item before it goes on the shelf.</span>
            </div>
          )}
          <ErrorText message={labels.error} />
        </section>
      )}
    </div>
  );
}

/**
 * A scanned label as text that may wrap between its GS1 elements ("(01)…",
 * "(17)…"), so that a long one fits its column instead of pushing the
 * quantity and Remove off the card.
 */
function BarcodeText(props: { text: string }) {
  const parts = props.text.split(/(?=\()/);
  return (
    <>
      {parts.map((p, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {p}
        </Fragment>
      ))}
    </>
  );
}

export const receivePage: Page = {
  path: "/receive",
  title: "Receive",
  roles: [Role.MANAGER],
  component: Receive,
};
