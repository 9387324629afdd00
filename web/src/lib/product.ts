// A product as the catalogue shows it: its details in one line (as the CLI's
// product table writes them) and what changed from one version to the next
// (the version history of a product: `smptrace product get --version N`).

import { ProductKind, SterilizationMethod, type Product } from "../../gen/smptrace/v1/catalog_pb";

/** How a sterilisation method is written ("ethylene oxide", "e-beam"). */
export const STERILIZATION_NAMES: Record<SterilizationMethod, string> = {
  [SterilizationMethod.UNSPECIFIED]: "not given",
  [SterilizationMethod.ETHYLENE_OXIDE]: "ethylene oxide",
  [SterilizationMethod.GAMMA]: "gamma",
  [SterilizationMethod.E_BEAM]: "e-beam",
  [SterilizationMethod.STEAM]: "steam",
};

/** "single-use · sterile (ethylene oxide) · 1RL 0.25mm" (the Detail column). */
export function productDetail(p: Product): string {
  const parts: string[] = [];
  if (p.singleUse) parts.push("single-use");
  if (p.sterile) {
    parts.push(
      p.sterilizationMethod === SterilizationMethod.UNSPECIFIED
        ? "sterile"
        : `sterile (${STERILIZATION_NAMES[p.sterilizationMethod]})`,
    );
  }
  if (p.cartridgeConfiguration) parts.push(p.cartridgeConfiguration);
  if (p.shade) parts.push(`shade ${p.shade}`);
  if (p.paoDays > 0) parts.push(`PAO ${p.paoDays} d`);
  return parts.join(" · ");
}

/** A field of a product as people name it, and its value as text. */
const FIELDS: readonly [string, (p: Product) => string][] = [
  ["name", (p) => p.name],
  ["manufacturer", (p) => p.manufacturer],
  ["units per pack", (p) => String(p.unitsPerPack)],
  ["single use", (p) => (p.singleUse ? "yes" : "no")],
  ["sterile", (p) => (p.sterile ? "yes" : "no")],
  ["sterilisation", (p) => STERILIZATION_NAMES[p.sterilizationMethod]],
  ["configuration", (p) => p.cartridgeConfiguration || "—"],
  ["shade", (p) => p.shade || "—"],
  ["PAO", (p) => (p.paoDays > 0 ? `${p.paoDays} d` : "—")],
  ["HIBC id", (p) => p.hibcId || "—"],
];

/**
 * What `newer` changed from `older`, one "field: old → new" per changed
 * field, in the order of the form; empty when nothing did.
 */
export function productChanges(older: Product, newer: Product): string[] {
  const out: string[] = [];
  for (const [name, text] of FIELDS) {
    const a = text(older);
    const b = text(newer);
    if (a !== b) out.push(`${name}: ${a} → ${b}`);
  }
  return out;
}

/** What a product of each kind usually is (a new product form's starting ticks). */
export const KIND_DEFAULTS: Record<ProductKind, { singleUse: boolean; sterile: boolean }> = {
  [ProductKind.UNSPECIFIED]: { singleUse: false, sterile: false },
  [ProductKind.NEEDLE_CARTRIDGE]: { singleUse: true, sterile: true },
  [ProductKind.PIGMENT]: { singleUse: false, sterile: false },
  [ProductKind.CONSUMABLE]: { singleUse: true, sterile: false },
};
