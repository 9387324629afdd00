// Purchase orders: what to order now (SuggestReorder, with its reasons),
// a draft order from one supplier's suggested lines, then submit or cancel;
// the orders so far with what has been received against them. Calls
// SuggestReorder, CreatePurchaseOrder, SubmitPurchaseOrder,
// CancelPurchaseOrder, ListPurchaseOrders.

import { useState } from "preact/hooks";
import { Role } from "../../../gen/smptrace/v1/admin_pb";
import {
  InventoryService,
  PurchaseOrderStatus,
  type PurchaseOrder,
  type ReorderLine,
} from "../../../gen/smptrace/v1/inventory_pb";
import { api, requestId } from "../../api/client";
import { formatDate, formatTimestamp } from "../../lib/time";
import type { Page, PageProps } from "../page";
import { ErrorText, useAction } from "../../shell/action";
import { LoadState, PageHead, Table, TextField, enumLabel, num, useLoad } from "./ui";

const STATUS_CLASS: Record<PurchaseOrderStatus, string> = {
  [PurchaseOrderStatus.UNSPECIFIED]: "warn",
  [PurchaseOrderStatus.DRAFT]: "warn",
  [PurchaseOrderStatus.SUBMITTED]: "ok",
  [PurchaseOrderStatus.PARTLY_RECEIVED]: "warn",
  [PurchaseOrderStatus.RECEIVED]: "ok",
  [PurchaseOrderStatus.CANCELLED]: "bad",
};

/** Suggested lines to order, by supplier (in the order suppliers appear). */
function bySupplier(lines: readonly ReorderLine[]): Map<string, ReorderLine[]> {
  const m = new Map<string, ReorderLine[]>();
  for (const l of lines) {
    if (l.packs <= 0) continue;
    const list = m.get(l.supplierId) ?? [];
    list.push(l);
    m.set(l.supplierId, list);
  }
  return m;
}

function Orders({ who }: PageProps) {
  const [version, setVersion] = useState(0);
  const suggest = useLoad(() => api(InventoryService).suggestReorder({}), [version]);
  const orders = useLoad(() => api(InventoryService).listPurchaseOrders({}), [version]);
  const create = useAction();
  const changed = () => setVersion((v) => v + 1);

  async function draft(supplierId: string) {
    const po = await create.run(() =>
      api(InventoryService).createPurchaseOrder({ requestId: requestId(), supplierId, fromSuggestion: true }),
    );
    if (po) changed();
  }

  return (
    <div class="desk">
      <PageHead title="Purchase orders">What to order now, and the orders on their way.</PageHead>
      <section class="card" aria-labelledby="o-suggest">
        <h2 id="o-suggest">Suggested now</h2>
        <LoadState state={suggest} isEmpty={(r) => bySupplier(r.lines).size === 0} empty="Nothing to order now.">
          {(r) => (
            <>
              {[...bySupplier(r.lines)].map(([supplierId, lines]) => (
                <div class="supplier" key={supplierId}>
                  <h3>{supplierId ? `Supplier ${supplierId}` : "No supplier in the policy"}</h3>
                  <ul class="plain reorder">
                    {lines.map((l) => (
                      <li key={`${l.gtin} ${l.locationId}`}>
                        <strong>{l.productName}</strong>: {l.packs} pack{l.packs === 1 ? "" : "s"} of {l.packSize} ({String(l.quantity)} units)
                        <div class="hint">{l.explanation}</div>
                      </li>
                    ))}
                  </ul>
                  {supplierId && (
                    <button type="button" class="primary" disabled={create.busy} onClick={() => void draft(supplierId)}>
                      Draft an order to {supplierId} from these lines
                    </button>
                  )}
                </div>
              ))}
              <ErrorText message={create.error} />
            </>
          )}
        </LoadState>
      </section>

      <section class="card" aria-labelledby="o-list">
        <h2 id="o-list">Orders</h2>
        <LoadState state={orders} isEmpty={(r) => r.orders.length === 0} empty="No purchase orders yet.">
          {(r) => (
            <div class="orders">
              {[...r.orders].reverse().map((po) => (
                <OrderCard key={`${po.poId} ${String(po.version)}`} po={po} timeZone={who.clinicTimeZone} onChanged={changed} />
              ))}
            </div>
          )}
        </LoadState>
      </section>
    </div>
  );
}

function OrderCard(props: { po: PurchaseOrder; timeZone: string; onChanged: () => void }) {
  const { po } = props;
  const tz = props.timeZone;
  const action = useAction();
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState("");
  const open =
    po.status === PurchaseOrderStatus.DRAFT ||
    po.status === PurchaseOrderStatus.SUBMITTED ||
    po.status === PurchaseOrderStatus.PARTLY_RECEIVED;

  async function submit() {
    if (await action.run(() => api(InventoryService).submitPurchaseOrder({ requestId: requestId(), poId: po.poId }))) props.onChanged();
  }
  async function cancel(e: Event) {
    e.preventDefault();
    const done = await action.run(() =>
      api(InventoryService).cancelPurchaseOrder({ requestId: requestId(), poId: po.poId, reason: reason.trim() }),
    );
    if (done) props.onChanged();
  }

  return (
    <article class="order" aria-labelledby={`po-${po.poId}`}>
      <h3 id={`po-${po.poId}`}>
        {po.poId} <span class={`badge ${STATUS_CLASS[po.status]}`}>{enumLabel(PurchaseOrderStatus, po.status)}</span>
      </h3>
      <p class="hint">
        To {po.supplierId}
        {po.locationId && ` · deliver to ${po.locationId}`} · created {formatTimestamp(po.createdAt, tz)} by {po.createdBy}
        {po.submittedAt && ` · submitted ${formatTimestamp(po.submittedAt, tz)}`}
        {po.expectedOn && ` · expected ${formatDate(po.expectedOn)}`}
        {po.endReason && ` · ${po.endReason}`}
      </p>
      <Table columns={["Product", num("Packs"), num("Units"), num("Received")]}>
        {po.lines.map((l) => (
          <tr key={l.gtin}>
            <td>
              {l.productName} <span class="hint mono">{l.gtin}</span>
            </td>
            <td class="num">
              {l.packs} × {l.packSize}
            </td>
            <td class="num">{String(l.quantity)}</td>
            <td class="num">{String(l.received)}</td>
          </tr>
        ))}
      </Table>
      {open && (
        <div class="actions">
          {po.status === PurchaseOrderStatus.DRAFT && (
            <button type="button" class="primary" disabled={action.busy} onClick={() => void submit()}>
              Submit {po.poId}
            </button>
          )}
          {!cancelling && (
            <button type="button" class="danger" onClick={() => setCancelling(true)}>
              {po.status === PurchaseOrderStatus.PARTLY_RECEIVED ? "Close short…" : "Cancel…"}
            </button>
          )}
        </div>
      )}
      {cancelling && (
        <form class="subform" onSubmit={cancel}>
          <TextField id={`cancel-${po.poId}`} label={`Why ${po.poId} is cancelled`} value={reason} onInput={setReason} />
          <div class="actions">
            <button type="submit" class="primary" disabled={action.busy}>
              {po.status === PurchaseOrderStatus.PARTLY_RECEIVED ? "Close short" : "Cancel the order"}
            </button>
            <button type="button" onClick={() => setCancelling(false)}>
              Keep it
            </button>
          </div>
        </form>
      )}
      <ErrorText message={action.error} />
    </article>
  );
}

export const ordersPage: Page = {
  path: "/orders",
  title: "Orders",
  roles: [Role.MANAGER],
  component: Orders,
};
