// Taking units of a lot out of stock, on the lot's page: discard some at a
// location (damaged, expired, recalled, other: with a note), or correct the
// count after a stock take (units found or missing, with why). Calls
// Discard and AdjustStock: the same as `smptrace discard --gtin --lot
// --location --quantity --reason` and `smptrace adjust --delta --reason`.
// The server refuses more than is in stock, and names what is missing.

import { useState } from "preact/hooks";
import { DiscardReason, InventoryService, type StockLine } from "../../../gen/smptrace/v1/inventory_pb";
import { api, requestId } from "../../api/client";
import { ErrorText, useAction } from "../../shell/action";
import { SelectField, TextField, choicesOf } from "./ui";

type Kind = "discard" | "count";

const REASONS: readonly [DiscardReason, string][] = [
  [DiscardReason.DAMAGED, "damaged"],
  [DiscardReason.EXPIRED, "expired"],
  [DiscardReason.RECALLED, "recalled"],
  [DiscardReason.OTHER, "other (say why in the note)"],
];

export function LotStockForm(props: { gtin: string; lot: string; stock: readonly StockLine[]; onChanged: () => void }) {
  const [kind, setKind] = useState<Kind | undefined>(undefined);
  const where = choicesOf(props.stock, (s) => s.locationId, (s) => `${s.locationName}, ${String(s.inStock)} in stock`);
  const [locationId, setLocationId] = useState("");
  const [quantity, setQuantity] = useState("");
  const [reason, setReason] = useState<DiscardReason>(DiscardReason.DAMAGED);
  const [note, setNote] = useState("");
  const action = useAction();
  const location = locationId || where[0]?.value || "";

  async function submit(e: Event) {
    e.preventDefault();
    const n = Number(quantity) || 0;
    const base = { requestId: requestId(), gtin: props.gtin, lot: props.lot, locationId: location };
    const done =
      kind === "discard"
        ? await action.run(() => api(InventoryService).discard({ ...base, quantity: n, reason, note: note.trim() }))
        : await action.run(() => api(InventoryService).adjustStock({ ...base, delta: n, reason: note.trim() }));
    if (done) props.onChanged();
  }

  return (
    <>
      <div class="actions">
        <button type="button" onClick={() => setKind("discard")}>
          Discard units…
        </button>
        <button type="button" onClick={() => setKind("count")}>
          Correct the count…
        </button>
      </div>
      {kind && (
        <form class="subform" onSubmit={submit} aria-labelledby="l-stock">
          <h3 id="l-stock">{kind === "discard" ? "Discard units of the lot" : "Correct the count after a stock take"}</h3>
          <div class="row">
            <SelectField id="l-where" label="At" value={location} onChange={setLocationId} choices={where} />
            <TextField
              id="l-qty"
              label={kind === "discard" ? "How many" : "Units found (+) or missing (−)"}
              value={quantity}
              onInput={setQuantity}
              type="number"
            />
            {kind === "discard" && (
              <SelectField
                id="l-why"
                label="Why"
                value={String(reason)}
                onChange={(v) => setReason(Number(v) as DiscardReason)}
                choices={REASONS.map(([r, label]) => ({ value: String(r), label }))}
              />
            )}
          </div>
          <TextField
            id="l-note"
            label={kind === "discard" ? "Note (required for other)" : "Why the count was wrong (required)"}
            value={note}
            onInput={setNote}
            placeholder={kind === "discard" ? "bottle cracked in transit" : "stock take: one missing"}
          />
          <p class="hint">
            {kind === "discard"
              ? "smptrace picks which units of the lot at that place are discarded and records the reason."
              : "Found units get new serials (print their labels from the lot's units); missing ones are recorded as missing, never as used."}
          </p>
          <ErrorText message={action.error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={action.busy}>
              {kind === "discard" ? "Discard" : "Correct the count"}
            </button>
            <button type="button" onClick={() => setKind(undefined)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </>
  );
}
