// The fields of a product that a manager types, shared by the catalogue's
// "Add a product" form and the product editor: name, manufacturer, pack,
// the kind's own detail (a cartridge's configuration, a pigment's shade and
// PAO, and the label an ink carries in the EU: REACH Annex XVII entry 75),
// how its lots are sterilised, and the single-use / sterile ticks.
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
  /** A pigment's REACH label: the statement, one ingredient per line. */
  inkStatement: string;
  inkIngredients: string;
  inkNickel: boolean;
  inkChromium: boolean;
  inkSafety: string;
}

const PH_REGULATOR = " (pH regulator)";
const NO_LABEL = { inkStatement: "", inkIngredients: "", inkNickel: false, inkChromium: false, inkSafety: "" };

/** An empty form for a new product of `kind`. */
export function newDraft(kind: ProductKind): ProductDraft {
  return {
    name: "",
    manufacturer: "",
    pack: "1",
    detail: "",
    pao: "",
    sterilization: SterilizationMethod.UNSPECIFIED,
    ...NO_LABEL,
    ...KIND_DEFAULTS[kind],
  };
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
    ...(p.inkLabel
      ? {
          inkStatement: p.inkLabel.mixtureStatement,
          inkIngredients: p.inkLabel.ingredients.map((i) => i.name + (i.phRegulator ? PH_REGULATOR : "")).join("\n"),
          inkNickel: p.inkLabel.containsNickel,
          inkChromium: p.inkLabel.containsChromiumVi,
          inkSafety: p.inkLabel.safetyInstructions,
        }
      : NO_LABEL),
  };
}

/** The label the form describes; none when its statement and ingredients are blank. */
function inkLabelOf(d: ProductDraft) {
  const lines = d.inkIngredients
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  if (d.inkStatement.trim() === "" && lines.length === 0) return undefined;
  return {
    mixtureStatement: d.inkStatement.trim(),
    ingredients: lines.map((l) =>
      l.endsWith(PH_REGULATOR) ? { name: l.slice(0, -PH_REGULATOR.length), phRegulator: true } : { name: l, phRegulator: false },
    ),
    containsNickel: d.inkNickel,
    containsChromiumVi: d.inkChromium,
    safetyInstructions: d.inkSafety.trim(),
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
    inkLabel: kind === ProductKind.PIGMENT ? inkLabelOf(d) : undefined,
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
      {kind === ProductKind.PIGMENT && (
        <fieldset>
          <legend>The ink's label (EU REACH): what the client is shown before the procedure</legend>
          <TextField
            id={`${id}-ink-statement`}
            label="Statement, as printed"
            value={d.inkStatement}
            onInput={(inkStatement) => set({ inkStatement })}
            placeholder="Mixture for use in tattoos or permanent make-up"
          />
          <label for={`${id}-ink-ingredients`}>Ingredients, one per line in the label's order (end with "(pH regulator)" where the label says so)</label>
          <textarea
            id={`${id}-ink-ingredients`}
            rows={4}
            value={d.inkIngredients}
            onInput={(e) => set({ inkIngredients: e.currentTarget.value })}
          />
          <label class="check">
            <input type="checkbox" checked={d.inkNickel} onChange={(e) => set({ inkNickel: e.currentTarget.checked })} />
            Label says "Contains nickel"
          </label>
          <label class="check">
            <input type="checkbox" checked={d.inkChromium} onChange={(e) => set({ inkChromium: e.currentTarget.checked })} />
            Label says "Contains chromium (VI)"
          </label>
          <TextField id={`${id}-ink-safety`} label="Safety instructions, as printed" value={d.inkSafety} onInput={(inkSafety) => set({ inkSafety })} />
        </fieldset>
      )}
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
