// Reorder policies, for the manager: how each product is reordered,
// clinic-wide or for one location (supplier, lead time, days between
// orders, safety stock, pack, or a fixed reorder point and order-up-to
// level), with what each policy makes of today's stock (its reorder point,
// its target, what it would order, and why); and a form to set one, or
// change one picked from the list. Calls ListReorderPolicies,
// SetReorderPolicy, SuggestReorder, ListProducts, ListLocations,
// ListSuppliers: the same as `smptrace reorder policy set|list` and
// `reorder suggest --all`.

import { useState } from "preact/hooks";
import { Role } from "../../../gen/smptrace/v1/admin_pb";
import { CatalogService } from "../../../gen/smptrace/v1/catalog_pb";
import { InventoryService, type ReorderLine, type ReorderPolicy } from "../../../gen/smptrace/v1/inventory_pb";
import { api, requestId } from "../../api/client";
import { formatTimestamp } from "../../lib/time";
import { ErrorText, useAction } from "../../shell/action";
import type { Page, PageProps } from "../page";
import { BLANK_NUMBERS, NUMBER_LABELS, numbersOf, policyKey, policyNumbers, policySummary, type PolicyNumbers } from "./reorder";
import { ChangeButton, LoadState, PageHead, PageLink, SelectField, Table, TextField, choicesOf, useLoad, type Choice } from "./ui";

/** The policies, and SuggestReorder's line for each (clinic-wide, and per location that has policies). */
async function policiesWithAdvice(): Promise<{ policies: ReorderPolicy[]; advice: Map<string, ReorderLine> }> {
  const { policies } = await api(InventoryService).listReorderPolicies({});
  const where = [...new Set(policies.map((p) => p.locationId))];
  const advice = new Map<string, ReorderLine>();
  for (const locationId of where) {
    const r = await api(InventoryService).suggestReorder({ locationId, includeAll: true });
    for (const l of r.lines) advice.set(policyKey(l), l);
  }
  return { policies, advice };
}

function Reorder({ who }: PageProps) {
  const [version, setVersion] = useState(0);
  const data = useLoad(policiesWithAdvice, [version]);
  const products = useLoad(() => api(CatalogService).listProducts({ page: { pageSize: 1000 } }), []);
  const locations = useLoad(() => api(CatalogService).listLocations({ page: { pageSize: 1000 } }), []);
  const [picked, setPicked] = useState<ReorderPolicy | undefined>(undefined);
  const [formKey, setFormKey] = useState(0);
  const productName = (gtin: string) => products.data?.products.find((p) => p.gtin === gtin)?.name ?? gtin;
  const placeName = (id: string) => (id ? `${locations.data?.locations.find((l) => l.locationId === id)?.name ?? id} (${id})` : "whole clinic");

  function change(p: ReorderPolicy) {
    setPicked(p);
    setFormKey((k) => k + 1);
    setTimeout(() => document.getElementById("p-set")?.scrollIntoView(), 0);
  }

  return (
    <div class="desk">
      <PageHead title="Reorder policies">
        How each product is reordered, for the whole clinic or one room or store, and what that makes of today's stock.
      </PageHead>
      <section class="card" aria-labelledby="p-list">
        <h2 id="p-list">Policies</h2>
        <LoadState state={data} isEmpty={(d) => d.policies.length === 0} empty="No reorder policy yet: set one below for each product you order.">
          {(d) => (
            <Table columns={["Product", "Where", "Rule", "Today", { label: "Change", hidden: true }]} caption="Reorder policies">
              {d.policies.map((p) => {
                const now = d.advice.get(policyKey(p));
                return (
                  <tr key={policyKey(p)} aria-current={picked && policyKey(picked) === policyKey(p) ? "true" : undefined}>
                    <td>
                      {productName(p.gtin)} <span class="hint mono">{p.gtin}</span>
                    </td>
                    <td>
                      {placeName(p.locationId)}
                      <div class="hint">{p.supplierId ? `from ${p.supplierId}` : "no supplier"}</div>
                    </td>
                    <td>
                      {policySummary(p)}
                      <div class="hint">
                        set {formatTimestamp(p.updatedAt, who.clinicTimeZone)} by {p.updatedBy}
                      </div>
                    </td>
                    <td>
                      {now ? (
                        <>
                          reorder point {String(now.reorderPoint)} · target {String(now.target)} ·{" "}
                          {now.packs > 0 ? (
                            <strong>
                              order {now.packs} × {now.packSize}
                            </strong>
                          ) : (
                            "no order"
                          )}
                          <div class="hint">{now.explanation}</div>
                        </>
                      ) : (
                        "—"
                      )}
                    </td>
                    <td>
                      <ChangeButton label={`Change the policy of ${p.gtin} (${placeName(p.locationId)})`} onClick={() => change(p)} />
                    </td>
                  </tr>
                );
              })}
            </Table>
          )}
        </LoadState>
        <p>
          <PageLink href="/orders">Purchase orders from the suggestions →</PageLink>
        </p>
      </section>
      <PolicyForm
        key={formKey}
        start={picked}
        products={choicesOf(products.data?.products, (p) => p.gtin, (p) => p.name)}
        locations={choicesOf(locations.data?.locations, (l) => l.locationId, (l) => l.name)}
        onSaved={(p) => {
          setPicked(p);
          setVersion((v) => v + 1);
        }}
      />
    </div>
  );
}

function PolicyForm(props: { start?: ReorderPolicy; products: Choice[]; locations: Choice[]; onSaved: (p: ReorderPolicy) => void }) {
  const suppliers = useLoad(() => api(CatalogService).listSuppliers({ page: { pageSize: 1000 } }), []);
  const [gtin, setGtin] = useState(props.start?.gtin ?? "");
  const [locationId, setLocationId] = useState(props.start?.locationId ?? "");
  const [supplierId, setSupplierId] = useState(props.start?.supplierId ?? "");
  const [numbers, setNumbers] = useState<PolicyNumbers>(props.start ? numbersOf(props.start) : BLANK_NUMBERS);
  const [done, setDone] = useState("");
  const action = useAction();
  const product = gtin || props.products[0]?.value || "";

  async function save(e: Event) {
    e.preventDefault();
    setDone("");
    const typed = policyNumbers(numbers);
    if ("error" in typed) {
      action.setError(typed.error ?? "");
      return;
    }
    const saved = await action.run(() =>
      api(InventoryService).setReorderPolicy({
        requestId: requestId(),
        policy: { gtin: product, locationId, supplierId, ...typed.numbers },
      }),
    );
    if (saved) {
      setDone(`Policy set for ${saved.gtin} (${saved.locationId || "whole clinic"}).`);
      props.onSaved(saved);
    }
  }

  // The default of a blank field goes in its label: every field of a row
  // then lines up (a hint under some would push the others down).
  const number = (k: keyof PolicyNumbers, blank?: string) => (
    <TextField
      id={`p-${k}`}
      label={blank ? `${NUMBER_LABELS[k]} (blank: ${blank})` : NUMBER_LABELS[k]}
      value={numbers[k]}
      onInput={(v) => setNumbers({ ...numbers, [k]: v })}
      type="number"
    />
  );

  return (
    <section class="card" id="p-set" aria-labelledby="p-set-h">
      <h2 id="p-set-h">Set a policy</h2>
      <form class="subform" onSubmit={save}>
        <p class="hint">
          One policy per product and place: setting it again replaces it. Blank numbers take the default. Give either the
          days (ordered by the usage rate) or a fixed reorder point and order-up-to level, for items with no usage yet.
        </p>
        <div class="row">
          <SelectField id="p-product" label="Product" value={product} onChange={setGtin} choices={props.products} />
          <SelectField id="p-where" label="For" value={locationId} onChange={setLocationId} choices={props.locations} blank="the whole clinic" />
          <SelectField
            id="p-supplier"
            label="Supplier"
            value={supplierId}
            onChange={setSupplierId}
            choices={choicesOf(suppliers.data?.suppliers, (s) => s.supplierId, (s) => s.name)}
            blank="—"
          />
        </div>
        <div class="row">
          {number("lead")}
          {number("review", "7")}
          {number("safety")}
        </div>
        <div class="row">
          {number("window", "56")}
          {number("pack", "as catalogued")}
          {number("minPacks")}
        </div>
        <div class="row">
          {number("fixedMin")}
          {number("fixedMax")}
          {number("shelfLife", "learned")}
        </div>
        <ErrorText message={action.error || suppliers.error} />
        {done && (
          <p class="notice" role="status">
            {done}
          </p>
        )}
        <button type="submit" class="primary" disabled={action.busy || !product}>
          Set the policy
        </button>
      </form>
    </section>
  );
}

export const reorderPage: Page = {
  path: "/reorder",
  title: "Reorder",
  roles: [Role.MANAGER],
  component: Reorder,
};
