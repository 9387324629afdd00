// The clinic's catalogue, for the manager: locations (the clinic, its rooms
// and stores), suppliers and products, each listed with a form to add one.
// Without it a new clinic could not be set up in the browser (the README's
// tour made them with the CLI). Calls ListLocations, CreateLocation,
// ListSuppliers, CreateSupplier, ListProducts, CreateProduct; changes and
// reorder policies stay with the CLI (docs/manager.md).

import { useState } from "preact/hooks";
import { Role } from "../../../gen/smptrace/v1/admin_pb";
import { CatalogService, LocationKind, ProductKind, type Location } from "../../../gen/smptrace/v1/catalog_pb";
import { api, requestId } from "../../api/client";
import { ErrorText, useAction } from "../../shell/action";
import type { Page } from "../page";
import { allPages } from "./calls";
import { LoadState, PageHead, Table, TextField, enumLabel, num, useLoad } from "./ui";

/** Every item of a List call (all its pages), loaded again when `version` changes. */
function useEvery<T>(list: (page: { pageSize: number; pageToken: string }) => Promise<{ items: T[]; next: string }>, version: number) {
  return useLoad(() => allPages((pageToken) => list({ pageSize: 1000, pageToken })), [version]);
}

function Catalog() {
  const [version, setVersion] = useState(0);
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
            <Table columns={["Id", "Name", "Kind", "In"]}>
              {ls.map((l) => (
                <tr key={l.locationId}>
                  <td class="mono">{l.locationId}</td>
                  <td>{l.name}</td>
                  <td>{enumLabel(LocationKind, l.kind)}</td>
                  <td>{ls.find((p) => p.locationId === l.parentId)?.name ?? "—"}</td>
                </tr>
              ))}
            </Table>
          )}
        </LoadState>
        <NewLocation locations={locations.data ?? []} onDone={changed} />
      </section>
      <Suppliers />
      <Products />
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
          <div>
            <label for="c-loc-parent">In the clinic</label>
            <select id="c-loc-parent" value={parentId} onChange={(e) => setParent((e.target as HTMLSelectElement).value)}>
              {clinics.map((c) => (
                <option key={c.locationId} value={c.locationId}>
                  {c.name} ({c.locationId})
                </option>
              ))}
            </select>
          </div>
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
          <Table columns={["Id", "Name", "Contact"]}>
            {ss.map((s) => (
              <tr key={s.supplierId}>
                <td class="mono">{s.supplierId}</td>
                <td>{s.name}</td>
                <td>{s.contact}</td>
              </tr>
            ))}
          </Table>
        )}
      </LoadState>
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

/** What a product of each kind usually is (the form's starting ticks). */
const KIND_DEFAULTS: Record<ProductKind, { singleUse: boolean; sterile: boolean }> = {
  [ProductKind.UNSPECIFIED]: { singleUse: false, sterile: false },
  [ProductKind.NEEDLE_CARTRIDGE]: { singleUse: true, sterile: true },
  [ProductKind.PIGMENT]: { singleUse: false, sterile: false },
  [ProductKind.CONSUMABLE]: { singleUse: true, sterile: false },
};

function Products() {
  const [version, setVersion] = useState(0);
  const products = useEvery(async (page) => {
    const r = await api(CatalogService).listProducts({ page });
    return { items: r.products, next: r.nextPageToken };
  }, version);
  const [gtin, setGtin] = useState("");
  const [name, setName] = useState("");
  const [kind, setKind] = useState<ProductKind>(ProductKind.NEEDLE_CARTRIDGE);
  const [manufacturer, setManufacturer] = useState("");
  const [pack, setPack] = useState("1");
  const [detail, setDetail] = useState("");
  const [pao, setPao] = useState("");
  const [ticks, setTicks] = useState(KIND_DEFAULTS[ProductKind.NEEDLE_CARTRIDGE]);
  const action = useAction();

  async function submit(e: Event) {
    e.preventDefault();
    const made = await action.run(() =>
      api(CatalogService).createProduct({
        requestId: requestId(),
        product: {
          gtin: gtin.trim(),
          name: name.trim(),
          kind,
          manufacturer: manufacturer.trim(),
          unitsPerPack: Number(pack) || 0,
          singleUse: ticks.singleUse,
          sterile: ticks.sterile,
          paoDays: kind === ProductKind.PIGMENT ? Number(pao) || 0 : 0,
          shade: kind === ProductKind.PIGMENT ? detail.trim() : "",
          cartridgeConfiguration: kind === ProductKind.NEEDLE_CARTRIDGE ? detail.trim() : "",
        },
      }),
    );
    if (made) {
      setGtin("");
      setName("");
      setDetail("");
      setPao("");
      setVersion((v) => v + 1);
    }
  }

  return (
    <section class="card" aria-labelledby="c-prod">
      <h2 id="c-prod">Products</h2>
      <LoadState state={products} isEmpty={(p) => p.length === 0} empty="No product yet.">
        {(ps) => (
          <Table columns={["GTIN", "Name", "Kind", "Manufacturer", num("Pack"), "Detail"]}>
            {ps.map((p) => (
              <tr key={p.gtin}>
                <td class="mono">{p.gtin}</td>
                <td>{p.name}</td>
                <td>{enumLabel(ProductKind, p.kind)}</td>
                <td>{p.manufacturer}</td>
                <td class="num">{p.unitsPerPack}</td>
                <td>
                  {[
                    p.singleUse && "single-use",
                    p.sterile && "sterile",
                    p.cartridgeConfiguration,
                    p.shade && `shade ${p.shade}`,
                    p.paoDays > 0 && `PAO ${p.paoDays} d`,
                  ]
                    .filter(Boolean)
                    .join(" · ")}
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
          <TextField id="c-prod-name" label="Name" value={name} onInput={setName} placeholder="Cartridge 1RL 0.25" />
          <div>
            <label for="c-prod-kind">Kind</label>
            <select
              id="c-prod-kind"
              value={kind}
              onChange={(e) => {
                const k = Number((e.target as HTMLSelectElement).value) as ProductKind;
                setKind(k);
                setTicks(KIND_DEFAULTS[k]);
              }}
            >
              <option value={ProductKind.NEEDLE_CARTRIDGE}>needle cartridge</option>
              <option value={ProductKind.PIGMENT}>pigment</option>
              <option value={ProductKind.CONSUMABLE}>consumable (gloves, film, cups)</option>
            </select>
          </div>
        </div>
        <div class="row">
          <TextField id="c-prod-maker" label="Manufacturer" value={manufacturer} onInput={setManufacturer} />
          <TextField id="c-prod-pack" label="Units per pack" value={pack} onInput={setPack} type="number" />
          {kind !== ProductKind.CONSUMABLE && (
            <TextField
              id="c-prod-detail"
              label={kind === ProductKind.PIGMENT ? "Shade" : "Configuration"}
              value={detail}
              onInput={setDetail}
              placeholder={kind === ProductKind.PIGMENT ? "Dark Ash" : "1RL 0.25mm"}
            />
          )}
          {kind === ProductKind.PIGMENT && (
            <TextField id="c-prod-pao" label="Usable days after opening (PAO)" value={pao} onInput={setPao} type="number" />
          )}
        </div>
        <label class="check">
          <input type="checkbox" checked={ticks.singleUse} onChange={(e) => setTicks({ ...ticks, singleUse: e.currentTarget.checked })} />
          Single use
        </label>
        <label class="check">
          <input type="checkbox" checked={ticks.sterile} onChange={(e) => setTicks({ ...ticks, sterile: e.currentTarget.checked })} />
          Sterile
        </label>
        <ErrorText message={action.error} />
        <button type="submit" class="primary" disabled={action.busy}>
          Add the product
        </button>
      </form>
    </section>
  );
}

export const catalogPage: Page = {
  path: "/catalog",
  title: "Catalogue",
  roles: [Role.MANAGER],
  component: Catalog,
};
