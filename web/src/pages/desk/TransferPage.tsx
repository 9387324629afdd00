// Moving stock between places (the stock room to a treatment room, and
// back), for the manager: scan each unit as it goes into the box, with a
// running count (a label read twice is still one unit), and move them all in
// one Transfer, or none; or move a count of one lot and let smptrace pick the
// units. Calls ListLocations, ListProducts, Transfer: the same as
// `smptrace transfer --barcode ...` and `transfer --gtin --lot --quantity`.

import { useState } from "preact/hooks";
import { Role } from "../../../gen/smptrace/v1/admin_pb";
import { CatalogService, LocationKind } from "../../../gen/smptrace/v1/catalog_pb";
import { InventoryService, UnitState, type TransferResponse } from "../../../gen/smptrace/v1/inventory_pb";
import { api, requestId } from "../../api/client";
import { ErrorText, useAction } from "../../shell/action";
import { ScanField } from "../kiosk/ScanField";
import type { Page, PageProps } from "../page";
import { carry } from "./transfer";
import { PageHead, SelectField, Table, TextField, choicesOf, enumLabel, useLoad } from "./ui";

interface Moved {
  response: TransferResponse;
  to: string;
  picked: boolean;
}

function Transfer(_: PageProps) {
  const locations = useLoad(() => api(CatalogService).listLocations({ page: { pageSize: 1000 } }), []);
  const products = useLoad(() => api(CatalogService).listProducts({ page: { pageSize: 1000 } }), []);
  const places = (locations.data?.locations ?? []).filter((l) => l.kind !== LocationKind.CLINIC);
  const [fromId, setFromId] = useState("");
  const [toId, setToId] = useState("");
  // By default from a store to a room: the week's stock going to the chair.
  const from = fromId || (places.find((l) => l.kind === LocationKind.STORE) ?? places[0])?.locationId || "";
  const to = toId || (places.find((l) => l.kind === LocationKind.ROOM && l.locationId !== from) ?? places.find((l) => l.locationId !== from))?.locationId || "";
  const nameOf = (id: string) => places.find((l) => l.locationId === id)?.name ?? id;
  const [note, setNote] = useState("");
  const [labels, setLabels] = useState<string[]>([]);
  const [repeat, setRepeat] = useState("");
  const [batch, setBatch] = useState(1);
  const [gtin, setGtin] = useState("");
  const [lot, setLot] = useState("");
  const [quantity, setQuantity] = useState("");
  const [moved, setMoved] = useState<Moved | undefined>(undefined);
  const scanned = useAction();
  const counted = useAction();
  const product = gtin || products.data?.products[0]?.gtin || "";

  async function moveScanned() {
    const r = await scanned.run(() =>
      api(InventoryService).transfer({ requestId: requestId(), fromLocationId: from, toLocationId: to, barcodes: labels, note: note.trim() }),
    );
    if (r) {
      setMoved({ response: r, to, picked: false });
      setLabels([]);
      setRepeat("");
      setBatch((b) => b + 1);
    }
  }

  async function moveCount(e: Event) {
    e.preventDefault();
    const r = await counted.run(() =>
      api(InventoryService).transfer({
        requestId: requestId(),
        fromLocationId: from,
        toLocationId: to,
        gtin: product,
        lot: lot.trim(),
        quantity: Number(quantity) || 0,
        note: note.trim(),
      }),
    );
    if (r) {
      setMoved({ response: r, to, picked: true });
      setQuantity("");
    }
  }

  const placeChoices = choicesOf(places, (l) => l.locationId, (l) => l.name);

  return (
    <div class="desk">
      <PageHead title="Move stock">
        Carry units from one room or store to another and scan each one as it goes: the record then says where every unit is.
      </PageHead>
      <section class="card" aria-labelledby="t-where">
        <h2 id="t-where">From and to</h2>
        <div class="row">
          <SelectField id="t-from" label="From" value={from} onChange={setFromId} choices={placeChoices} />
          <SelectField id="t-to" label="To" value={to} onChange={setToId} choices={placeChoices} />
          <TextField id="t-note" label="Note (optional)" value={note} onInput={setNote} placeholder="room 1 for the week" />
        </div>
        <ErrorText message={locations.error} />
      </section>

      <div class="columns">
        <section class="card" aria-labelledby="t-scan">
          <h2 id="t-scan">Scan the units</h2>
          <ScanField
            label="Scanner"
            hint="Scan each unit's label (smptrace's own, or any with a serial). CR, LF, CR+LF and Tab endings all work."
            scope={`transfer-${batch}`}
            disabled={scanned.busy}
            onScan={(code) => {
              setMoved(undefined);
              const next = carry(labels, code);
              setLabels(next.labels);
              setRepeat(next.repeated ? code : "");
            }}
          />
          <p class="count" aria-live="polite">
            <strong>{labels.length}</strong> unit{labels.length === 1 ? "" : "s"} scanned
            {repeat && (
              <>
                {" "}
                · <span class="mono">{repeat}</span> is already in the list (read twice: one unit)
              </>
            )}
          </p>
          {labels.length === 0 ? (
            <p class="empty">Nothing scanned yet.</p>
          ) : (
            <Table columns={["Unit label", { label: "Remove", hidden: true }]}>
              {labels.map((l, i) => (
                <tr key={l}>
                  <td class="mono barcode">{l}</td>
                  <td>
                    <button type="button" class="small" aria-label={`Remove unit ${i + 1}`} onClick={() => setLabels(labels.filter((x) => x !== l))}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </Table>
          )}
          <ErrorText message={scanned.error} />
          <div class="actions">
            <button type="button" class="primary" disabled={labels.length === 0 || scanned.busy} onClick={() => void moveScanned()}>
              Move {labels.length} unit{labels.length === 1 ? "" : "s"} to {nameOf(to)}
            </button>
            <button type="button" disabled={labels.length === 0 || scanned.busy} onClick={() => setLabels([])}>
              Start over
            </button>
          </div>
        </section>

        <section class="card" aria-labelledby="t-count">
          <h2 id="t-count">Or a count of one lot</h2>
          <form onSubmit={moveCount}>
            <p class="hint">For units nobody will scan: smptrace picks which ones and says so.</p>
            <SelectField
              id="t-product"
              label="Product"
              value={product}
              onChange={setGtin}
              choices={choicesOf(products.data?.products, (p) => p.gtin, (p) => p.name)}
            />
            <TextField id="t-lot" label="Lot, exactly as printed" value={lot} onInput={setLot} />
            <TextField id="t-qty" label="How many" value={quantity} onInput={setQuantity} type="number" />
            <ErrorText message={counted.error} />
            <button type="submit" class="primary" disabled={counted.busy}>
              Move them to {nameOf(to)}
            </button>
          </form>
        </section>
      </div>

      {moved && (
        <section class="card" aria-labelledby="t-done">
          <h2 id="t-done" aria-live="polite" aria-atomic="true">
            Moved {moved.response.units.length} unit{moved.response.units.length === 1 ? "" : "s"} to {nameOf(moved.to)}
            {moved.picked ? " (picked by smptrace)" : ""}
          </h2>
          <Table columns={["GTIN", "Serial", "Lot", "Now at", "State"]}>
            {moved.response.units.map((u) => (
              <tr key={`${u.gtin} ${u.serial}`}>
                <td class="mono">{u.gtin}</td>
                <td class="mono">{u.serial}</td>
                <td>{u.lot}</td>
                <td>
                  {nameOf(u.locationId)} <span class="hint mono">{u.locationId}</span>
                </td>
                <td>{enumLabel(UnitState, u.state)}</td>
              </tr>
            ))}
          </Table>
        </section>
      )}
    </div>
  );
}

export const transferPage: Page = {
  path: "/transfer",
  title: "Move stock",
  roles: [Role.MANAGER],
  component: Transfer,
};
