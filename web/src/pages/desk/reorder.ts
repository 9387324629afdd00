// Reorder policies as the Reorder page shows them: one line of words per
// policy (the rule it orders by), and the policy a form of typed numbers
// describes. The rule's defaults are the server's (inventory.proto).

import type { ReorderPolicy } from "../../../gen/smptrace/v1/inventory_pb";

/** Which policy: a product, clinic-wide ("") or at one location. */
export function policyKey(p: { gtin: string; locationId: string }): string {
  return `${p.gtin} ${p.locationId}`;
}

/**
 * The rule in words: "fixed: order up to 6 when 2 or fewer · lead 5 d" or
 * "by usage over 28 d: lead 10 d + review 7 d + safety 7 d", then the pack
 * and the supplier's minimum when set.
 */
export function policySummary(p: ReorderPolicy): string {
  const parts: string[] = [];
  if (p.fixedMax > 0) {
    parts.push(`fixed: order up to ${p.fixedMax} when ${p.fixedMin} or fewer · lead ${p.leadTimeDays} d`);
  } else {
    const review = p.reviewPeriodDays || 7;
    parts.push(
      `by usage over ${p.usageWindowDays || 56} d: lead ${p.leadTimeDays} d + review ${review} d + safety ${p.safetyStockDays} d`,
    );
  }
  parts.push(p.packSize > 0 ? `packs of ${p.packSize}` : "the product's pack");
  if (p.minimumOrderPacks > 0) parts.push(`at least ${p.minimumOrderPacks} packs an order`);
  if (p.shelfLifeDays > 0) parts.push(`shelf life ${p.shelfLifeDays} d`);
  return parts.join(" · ");
}

/** The numbers of a policy form, as typed (blank: the server's default). */
export interface PolicyNumbers {
  lead: string;
  review: string;
  safety: string;
  pack: string;
  minPacks: string;
  fixedMin: string;
  fixedMax: string;
  window: string;
  shelfLife: string;
}

export const BLANK_NUMBERS: PolicyNumbers = {
  lead: "",
  review: "",
  safety: "",
  pack: "",
  minPacks: "",
  fixedMin: "",
  fixedMax: "",
  window: "",
  shelfLife: "",
};

/** A blank or 0 field is left blank (the default); other numbers as they are. */
function field(n: number): string {
  return n === 0 ? "" : String(n);
}

/** The form filled with `p`'s numbers (to change it). */
export function numbersOf(p: ReorderPolicy): PolicyNumbers {
  return {
    lead: field(p.leadTimeDays),
    review: field(p.reviewPeriodDays),
    safety: field(p.safetyStockDays),
    pack: field(p.packSize),
    minPacks: field(p.minimumOrderPacks),
    fixedMin: field(p.fixedMin),
    fixedMax: field(p.fixedMax),
    window: field(p.usageWindowDays),
    shelfLife: field(p.shelfLifeDays),
  };
}

/** What each number is called on the form (for a refusal naming it). */
export const NUMBER_LABELS: Record<keyof PolicyNumbers, string> = {
  lead: "Lead time (days)",
  review: "Days between orders",
  safety: "Safety stock (days of use)",
  pack: "Units per pack",
  minPacks: "Minimum order (packs)",
  fixedMin: "Fixed reorder point (units)",
  fixedMax: "Fixed order-up-to level (units)",
  window: "Usage over (days)",
  shelfLife: "New lot's shelf life (days)",
};

/**
 * The policy's numbers for SetReorderPolicy, blank as 0 (the default), or
 * which field is not a whole number. Ranges are the server's to check: it
 * names the field it refuses (`policy.lead_time_days: ...`).
 */
export function policyNumbers(n: PolicyNumbers) {
  const bad = (Object.keys(n) as (keyof PolicyNumbers)[]).find((k) => n[k].trim() !== "" && !/^-?\d+$/.test(n[k].trim()));
  if (bad) return { error: `${NUMBER_LABELS[bad]}: "${n[bad].trim()}" is not a whole number; leave it blank for the default` };
  const int = (s: string) => (s.trim() === "" ? 0 : Number(s.trim()));
  return {
    numbers: {
      leadTimeDays: int(n.lead),
      reviewPeriodDays: int(n.review),
      safetyStockDays: int(n.safety),
      packSize: int(n.pack),
      minimumOrderPacks: int(n.minPacks),
      fixedMin: int(n.fixedMin),
      fixedMax: int(n.fixedMax),
      usageWindowDays: int(n.window),
      shelfLifeDays: int(n.shelfLife),
    },
  };
}
