// The fields of a product that a manager types, shared by the catalogue's
// "Add a product" form and the product editor: name, manufacturer, pack,
// the kind's own detail (a cartridge's configuration, a pigment's shade and
// PAO), how its lots are sterilised, and the single-use / sterile ticks.
// The server checks them (the same rules as `smptrace product create` and
// `update`) and names the field it refuses.

import { ProductKind, SterilizationMethod, type Product } from "../../../gen/smptrace/v1/catalog_pb";
import { KIND_DEFAULTS, STERILIZATION_NAMES } from "../../lib/product";
import { TextField } from "./ui";

/** The form's values, as typed. */
export interface ProductDraft {
  name: string;
  manufacturer: string;
  pack: string;
  /** A cartridge's configuration or a pigment's shade. */
  detail: string;
  pao: string;
  sterilization: SterilizationMethod;
  singleUse: boolean;
  sterile: boolean;
}

/** An empty form for a new product of `kind`. */
export function newDraft(kind: ProductKind): ProductDraft {
  return { name: "", manufacturer: "", pack: "1", detail: "", pao: "", sterilization: SterilizationMethod.UNSPECIFIED, ...KIND_DEFAULTS[kind] };
}

/** The form filled with `p` (to change it). */
export function draftOf(p: Product): ProductDraft {
  return {
    name: p.name,
    manufacturer: p.manufacturer,
    pack: String(p.unitsPerPack),
    detail: p.kind === ProductKind.PIGMENT ? p.shade : p.cartridgeConfiguration,
    pao: p.paoDays > 0 ? String(p.paoDays) : "",
    sterilization: p.sterilizationMethod,
    singleUse: p.singleUse,
    sterile: p.sterile,
  };
}

/**
 * The product the form describes. A number left blank is sent as 0, for the
 * server to refuse by name (`product.pao_days: ...`) rather than guessed.
 */
export function productOf(d: ProductDraft, gtin: string, kind: ProductKind, hibcId = "") {
  return {
    gtin: gtin.trim(),
    name: d.name.trim(),
    kind,
    manufacturer: d.manufacturer.trim(),
    unitsPerPack: Number(d.pack) || 0,
    singleUse: d.singleUse,
    sterile: d.sterile,
    sterilizationMethod: d.sterilization,
    paoDays: kind === ProductKind.PIGMENT ? Number(d.pao) || 0 : 0,
    shade: kind === ProductKind.PIGMENT ? d.detail.trim() : "",
    cartridgeConfiguration: kind === ProductKind.NEEDLE_CARTRIDGE ? d.detail.trim() : "",
    hibcId,
  };
}

/** The fields (ids start with `idPrefix`: two forms may be on one page). */
export function ProductFields(props: { idPrefix: string; kind: ProductKind; draft: ProductDraft; onChange: (d: ProductDraft) => void }) {
  const { idPrefix: id, kind, draft: d } = props;
  const set = (change: Partial<ProductDraft>) => props.onChange({ ...d, ...change });
  return (
    <>
      <div class="row">
        <TextField id={`${id}-name`} label="Name" value={d.name} onInput={(name) => set({ name })} placeholder="Cartridge 1RL 0.25" />
        <TextField id={`${id}-maker`} label="Manufacturer" value={d.manufacturer} onInput={(manufacturer) => set({ manufacturer })} />
        <TextField id={`${id}-pack`} label="Units per pack" value={d.pack} onInput={(pack) => set({ pack })} type="number" />
      </div>
      <div class="row">
        {kind !== ProductKind.CONSUMABLE && (
          <TextField
            id={`${id}-detail`}
            label={kind === ProductKind.PIGMENT ? "Shade" : "Configuration"}
            value={d.detail}
            onInput={(detail) => set({ detail })}
            placeholder={kind === ProductKind.PIGMENT ? "Dark Ash" : "1RL 0.25mm"}
          />
        )}
        {kind === ProductKind.PIGMENT && (
          <TextField id={`${id}-pao`} label="Usable days after opening (PAO)" value={d.pao} onInput={(pao) => set({ pao })} type="number" />
        )}
        <div>
          <label for={`${id}-steril`}>Sterilised by (when a delivery does not say)</label>
          <select
            id={`${id}-steril`}
            value={d.sterilization}
            onChange={(e) => set({ sterilization: Number((e.target as HTMLSelectElement).value) as SterilizationMethod })}
          >
            {[
              SterilizationMethod.UNSPECIFIED,
              SterilizationMethod.ETHYLENE_OXIDE,
              SterilizationMethod.GAMMA,
              SterilizationMethod.E_BEAM,
              SterilizationMethod.STEAM,
            ].map((m) => (
              <option key={m} value={m}>
                {STERILIZATION_NAMES[m]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <label class="check">
        <input type="checkbox" checked={d.singleUse} onChange={(e) => set({ singleUse: e.currentTarget.checked })} />
        Single use
      </label>
      <label class="check">
        <input type="checkbox" checked={d.sterile} onChange={(e) => set({ sterile: e.currentTarget.checked })} />
        Sterile
      </label>
    </>
  );
}
