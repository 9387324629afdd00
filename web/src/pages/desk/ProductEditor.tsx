// One product of the catalogue, to change: its fields as they are now, saved
// as a new version (UpdateProduct with the version read, so a change made
// meanwhile by someone else is refused, not overwritten), and its version
// history with what each version changed (GetProduct of every version, as
// `smptrace product get --version N` reads one).

import { Code, ConnectError } from "@connectrpc/connect";
import { useState } from "preact/hooks";
import { CatalogService, ProductKind, type Product } from "../../../gen/smptrace/v1/catalog_pb";
import { api, requestId } from "../../api/client";
import { errorText } from "../../api/errors";
import { productChanges, productDetail } from "../../lib/product";
import { formatTimestamp } from "../../lib/time";
import { ErrorText, useAction } from "../../shell/action";
import { ProductFields, draftOf, productOf } from "./ProductFields";
import { LoadState, Table, enumLabel, useLoad } from "./ui";

/** Every version of `gtin`, newest first (the current one is `current`). */
async function versions(current: Product): Promise<Product[]> {
  const out = [current];
  for (let v = current.version - 1n; v >= 1n; v--) {
    out.push(await api(CatalogService).getProduct({ gtin: current.gtin, version: v }));
  }
  return out;
}

export function ProductEditor(props: { gtin: string; timeZone: string; onSaved: () => void; onClose: () => void }) {
  const [saved, setSaved] = useState(0);
  const product = useLoad(() => api(CatalogService).getProduct({ gtin: props.gtin }), [props.gtin, saved]);
  const history = useLoad(async () => (product.data ? versions(product.data) : []), [product.data]);
  const [done, setDone] = useState("");
  // Someone saved a version meanwhile: their product is read again into the
  // form, and the server's refusal stays on screen.
  const [stale, setStale] = useState("");
  return (
    <section class="card" id="product-edit" aria-labelledby="c-edit">
      <h2 id="c-edit">
        {product.data ? `Change ${product.data.name}` : "Change a product"} <span class="hint mono">{props.gtin}</span>
      </h2>
      <ErrorText message={stale} />
      <LoadState state={product} isEmpty={() => false} empty="">
        {(p) => (
          <EditForm
            key={`${p.gtin} ${String(p.version)}`}
            product={p}
            onSaved={(next) => {
              setDone(`Saved as version ${String(next.version)}.`);
              setSaved((n) => n + 1);
              props.onSaved();
            }}
            onEdit={() => {
              setDone("");
              setStale("");
            }}
            onStale={(message) => {
              setStale(message);
              setSaved((n) => n + 1);
            }}
            onClose={props.onClose}
          />
        )}
      </LoadState>
      {done && (
        <p class="notice" role="status">
          {done}
        </p>
      )}
      <h3 id="c-versions">Versions</h3>
      <LoadState state={history} isEmpty={(h) => h.length === 0} empty="">
        {(h) => (
          <Table columns={["Version", "Written", "By", "Details", "What changed"]} caption={`Versions of ${props.gtin}`}>
            {h.map((p, i) => (
              <tr key={String(p.version)}>
                <td class="num">{String(p.version)}</td>
                <td class="nowrap">{formatTimestamp(p.updatedAt, props.timeZone)}</td>
                <td>{p.updatedBy}</td>
                <td>{productDetail(p)}</td>
                <td>{i + 1 < h.length ? productChanges(h[i + 1], p).join("; ") || "nothing" : "created"}</td>
              </tr>
            ))}
          </Table>
        )}
      </LoadState>
    </section>
  );
}

function EditForm(props: {
  product: Product;
  onSaved: (next: Product) => void;
  onEdit: () => void;
  onStale: (message: string) => void;
  onClose: () => void;
}) {
  const p = props.product;
  const [draft, setDraft] = useState(() => draftOf(p));
  const action = useAction();

  async function save(e: Event) {
    e.preventDefault();
    props.onEdit();
    const next = await action.run(() =>
      api(CatalogService).updateProduct({
        requestId: requestId(),
        product: productOf(draft, p.gtin, p.kind, p.hibcId),
        expectedVersion: p.version,
      }),
      (err) => {
        if (!(err instanceof ConnectError && err.code === Code.Aborted)) return false;
        props.onStale(`${errorText(err)} (the form now shows version ${String(p.version + 1n)} or later)`);
        return true;
      },
    );
    if (next) props.onSaved(next);
  }

  return (
    <form class="subform" onSubmit={save} aria-label={`Change ${p.name}`}>
      <p class="hint">
        {enumLabel(ProductKind, p.kind)} · version {String(p.version)}. Saving makes version {String(p.version + 1n)}; the
        earlier versions stay readable below. The GTIN and the kind never change.
      </p>
      <ProductFields idPrefix="c-edit" kind={p.kind} draft={draft} onChange={setDraft} />
      <ErrorText message={action.error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy}>
          Save version {String(p.version + 1n)}
        </button>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </div>
    </form>
  );
}
