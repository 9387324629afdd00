// The clinic's catalogue, for the manager: locations (the clinic, its rooms
// and stores), suppliers and products, each listed with a form to add one.
// Without it a new clinic could not be set up in the browser (the README's
// tour made them with the CLI). Calls ListLocations, CreateLocation,
// ListSuppliers, CreateSupplier, ListProducts, CreateProduct, and
// UpdateLocation / UpdateSupplier (RecordEdit); a product's change and
// version history are ProductEditor's (UpdateProduct, GetProduct).

import { useState } from "preact/hooks";
import { Role } from "../../../gen/smptrace/v1/admin_pb";
import { CatalogService, LocationKind, ProductKind, type Location, type Supplier } from "../../../gen/smptrace/v1/catalog_pb";
import { api, requestId } from "../../api/client";
import { ErrorText, useAction } from "../../shell/action";
import type { Page, PageProps } from "../page";
import { KIND_DEFAULTS, productDetail } from "../../lib/product";
import { allPages } from "./calls";
import { ProductEditor } from "./ProductEditor";
import { ProductFields, newDraft, productOf } from "./ProductFields";
import { RecordEdit } from "./RecordEdit";
import { ChangeButton, LoadState, PageHead, SelectField, Table, TextField, choicesOf, enumLabel, num, useLoad } from "./ui";

/** Every item of a List call (all its pages), loaded again when `version` changes. */
function useEvery<T>(list: (page: { pageSize: number; pageToken: string }) => Promise<{ items: T[]; next: string }>, version: number) {
  return useLoad(() => allPages((pageToken) => list({ pageSize: 1000, pageToken })), [version]);
}

function Catalog({ who }: PageProps) {
  const [version, setVersion] = useState(0);
  const [renaming, setRenaming] = useState<Location | undefined>(undefined);
  const changed = () => setVersion((v) => v + 1);
  const locations = useEvery(async (page) => {
    const r = await api(CatalogService).listLocations({ page });
    return { items: r.locations, next: r.nextPageToken };
  }, version);
  return (
    <div class="desk">
      <PageHead title="Catalogue">The clinic's rooms and stores, its suppliers and the products it uses.</PageHead>
      <section class="card" aria-labelledby="c-loc">
        <h2 id="c-loc">Locations</h2>
        <LoadState state={locations} isEmpty={(l) => l.length === 0} empty="No location yet: add the clinic first, then its rooms and stock room.">
          {(ls) => (
            <Table columns={["Id", "Name", "Kind", "In", { label: "Rename", hidden: true }]}>
              {ls.map((l) => (
                <tr key={l.locationId}>
                  <td class="mono">{l.locationId}</td>
                  <td>{l.name}</td>
                  <td>{enumLabel(LocationKind, l.kind)}</td>
                  <td>{ls.find((p) => p.locationId === l.parentId)?.name ?? "—"}</td>
                  <td>
                    <ChangeButton label={`Change ${l.locationId} (${l.name})`} onClick={() => setRenaming(l)} />
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </LoadState>
        {renaming && (
          <RecordEdit
            key={renaming.locationId}
            title={`Rename ${renaming.locationId}`}
            fields={[{ id: "c-loc-rename", label: "New name", value: renaming.name }]}
            save={(v) =>
              api(CatalogService).updateLocation({
                requestId: requestId(),
                location: { ...renaming, name: v["c-loc-rename"] },
                expectedVersion: renaming.version,
              })
            }
            onDone={() => {
              setRenaming(undefined);
              changed();
            }}
          />
        )}
        <NewLocation locations={locations.data ?? []} onDone={changed} />
      </section>
      <Suppliers />
      <Products timeZone={who.clinicTimeZone} />
    </div>
  );
}

function NewLocation(props: { locations: Location[]; onDone: () => void }) {
  const clinics = props.locations.filter((l) => l.kind === LocationKind.CLINIC);
  const [name, setName] = useState("");
  const [kind, setKind] = useState<LocationKind>(LocationKind.CLINIC);
  const [parent, setParent] = useState("");
  const action = useAction();
  const parentId = kind === LocationKind.CLINIC ? "" : parent || clinics[0]?.locationId || "";

  async function submit(e: Event) {
    e.preventDefault();
    const made = await action.run(() =>
      api(CatalogService).createLocation({ requestId: requestId(), location: { name: name.trim(), kind, parentId } }),
    );
    if (made) {
      setName("");
      props.onDone();
    }
  }

  return (
    <form class="subform" onSubmit={submit} aria-labelledby="c-loc-new">
      <h3 id="c-loc-new">Add a location</h3>
      <div class="row">
        <TextField id="c-loc-name" label="Name" value={name} onInput={setName} placeholder="Treatment room 1" />
        <div>
          <label for="c-loc-kind">Kind</label>
          <select id="c-loc-kind" value={kind} onChange={(e) => setKind(Number((e.target as HTMLSelectElement).value) as LocationKind)}>
            <option value={LocationKind.CLINIC}>clinic</option>
            <option value={LocationKind.ROOM}>room (where procedures happen)</option>
            <option value={LocationKind.STORE}>store (stock room)</option>
          </select>
        </div>
        {kind !== LocationKind.CLINIC && (
          <SelectField
            id="c-loc-parent"
            label="In the clinic"
            value={parentId}
            onChange={setParent}
            choices={choicesOf(clinics, (c) => c.locationId, (c) => c.name)}
          />
        )}
      </div>
      <ErrorText message={action.error} />
      <button type="submit" class="primary" disabled={action.busy}>
        Add the location
      </button>
    </form>
  );
}

function Suppliers() {
  const [version, setVersion] = useState(0);
  const suppliers = useEvery(async (page) => {
    const r = await api(CatalogService).listSuppliers({ page });
    return { items: r.suppliers, next: r.nextPageToken };
  }, version);
  const [name, setName] = useState("");
  const [contact, setContact] = useState("");
  const [editing, setEditing] = useState<Supplier | undefined>(undefined);
  const action = useAction();

  async function submit(e: Event) {
    e.preventDefault();
    const made = await action.run(() =>
      api(CatalogService).createSupplier({ requestId: requestId(), supplier: { name: name.trim(), contact: contact.trim() } }),
    );
    if (made) {
      setName("");
      setContact("");
      setVersion((v) => v + 1);
    }
  }

  return (
    <section class="card" aria-labelledby="c-sup">
      <h2 id="c-sup">Suppliers</h2>
      <LoadState state={suppliers} isEmpty={(s) => s.length === 0} empty="No supplier yet.">
        {(ss) => (
          <Table columns={["Id", "Name", "Contact", { label: "Change", hidden: true }]}>
            {ss.map((s) => (
              <tr key={s.supplierId}>
                <td class="mono">{s.supplierId}</td>
                <td>{s.name}</td>
                <td>{s.contact}</td>
                <td>
                  <ChangeButton label={`Change ${s.supplierId}`} onClick={() => setEditing(s)} />
                </td>
              </tr>
            ))}
          </Table>
        )}
      </LoadState>
      {editing && (
        <RecordEdit
          key={editing.supplierId}
          title={`Change ${editing.supplierId}`}
          fields={[
            { id: "c-sup-rename", label: "New name", value: editing.name },
            { id: "c-sup-recontact", label: "New contact", value: editing.contact },
          ]}
          save={(v) =>
            api(CatalogService).updateSupplier({
              requestId: requestId(),
              supplier: { ...editing, name: v["c-sup-rename"], contact: v["c-sup-recontact"] },
              expectedVersion: editing.version,
            })
          }
          onDone={() => {
            setEditing(undefined);
            setVersion((v) => v + 1);
          }}
        />
      )}
      <form class="subform" onSubmit={submit} aria-labelledby="c-sup-new">
        <h3 id="c-sup-new">Add a supplier</h3>
        <div class="row">
          <TextField id="c-sup-name" label="Name" value={name} onInput={setName} placeholder="MedSupply Ltd" />
          <TextField id="c-sup-contact" label="Contact (optional)" value={contact} onInput={setContact} placeholder="orders@medsupply.example" />
        </div>
        <ErrorText message={action.error} />
        <button type="submit" class="primary" disabled={action.busy}>
          Add the supplier
        </button>
      </form>
    </section>
  );
}

function Products(props: { timeZone: string }) {
  const [version, setVersion] = useState(0);
  const products = useEvery(async (page) => {
    const r = await api(CatalogService).listProducts({ page });
    return { items: r.products, next: r.nextPageToken };
  }, version);
  const [gtin, setGtin] = useState("");
  const [kind, setKind] = useState<ProductKind>(ProductKind.NEEDLE_CARTRIDGE);
  const [draft, setDraft] = useState(() => newDraft(ProductKind.NEEDLE_CARTRIDGE));
  const [editing, setEditing] = useState("");
  const action = useAction();

  async function submit(e: Event) {
    e.preventDefault();
    const made = await action.run(() => api(CatalogService).createProduct({ requestId: requestId(), product: productOf(draft, gtin, kind) }));
    if (made) {
      setGtin("");
      setDraft(newDraft(kind));
      setVersion((v) => v + 1);
    }
  }

  function edit(g: string) {
    setEditing(g);
    // After the editor is drawn: it is below the list.
    setTimeout(() => document.getElementById("product-edit")?.scrollIntoView(), 0);
  }

  return (
    <>
      <section class="card" aria-labelledby="c-prod">
        <h2 id="c-prod">Products</h2>
        <LoadState state={products} isEmpty={(p) => p.length === 0} empty="No product yet.">
          {(ps) => (
            <Table columns={["GTIN", "Name", "Kind", "Manufacturer", num("Pack"), "Detail", num("Ver."), { label: "Change", hidden: true }]}>
              {ps.map((p) => (
                <tr key={p.gtin} aria-current={p.gtin === editing ? "true" : undefined}>
                  <td class="mono">{p.gtin}</td>
                  <td>{p.name}</td>
                  <td>{enumLabel(ProductKind, p.kind)}</td>
                  <td>{p.manufacturer}</td>
                  <td class="num">{p.unitsPerPack}</td>
                  <td>{productDetail(p)}</td>
                  <td class="num">{String(p.version)}</td>
                  <td>
                    <ChangeButton label={`Change ${p.name} (${p.gtin})`} onClick={() => edit(p.gtin)} />
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </LoadState>
        <form class="subform" onSubmit={submit} aria-labelledby="c-prod-new">
          <h3 id="c-prod-new">Add a product</h3>
          <div class="row">
            <TextField id="c-prod-gtin" label="GTIN (14 digits, from the box's barcode)" value={gtin} onInput={setGtin} placeholder="09506000134352" />
            <div>
              <label for="c-prod-kind">Kind</label>
              <select
                id="c-prod-kind"
                value={kind}
                onChange={(e) => {
                  const k = Number((e.target as HTMLSelectElement).value) as ProductKind;
                  setKind(k);
                  setDraft({ ...draft, ...KIND_DEFAULTS[k] });
                }}
              >
                <option value={ProductKind.NEEDLE_CARTRIDGE}>needle cartridge</option>
                <option value={ProductKind.PIGMENT}>pigment</option>
                <option value={ProductKind.CONSUMABLE}>consumable (gloves, film, cups)</option>
              </select>
            </div>
          </div>
          <ProductFields idPrefix="c-prod" kind={kind} draft={draft} onChange={setDraft} />
          <ErrorText message={action.error} />
          <button type="submit" class="primary" disabled={action.busy}>
            Add the product
          </button>
        </form>
      </section>
      {editing && (
        <ProductEditor
          gtin={editing}
          timeZone={props.timeZone}
          onSaved={() => setVersion((v) => v + 1)}
          onClose={() => setEditing("")}
        />
      )}
    </>
  );
}

export const catalogPage: Page = {
  path: "/catalog",
  title: "Catalogue",
  roles: [Role.MANAGER],
  component: Catalog,
};
