// Stock as the dashboard sums it: the lines of GetStock (one per lot and
// location) added up per location, and the lots held back (on hold or
// recalled) that still have units in stock.

import { LotStatus, type StockLine } from "../../../gen/smptrace/v1/inventory_pb";

export interface LocationStock {
  locationId: string;
  locationName: string;
  lots: number;
  inStock: number;
  usable: number;
  expired: number;
  /** Quarantined or recalled: in stock, never usable. */
  held: number;
}

/** Per location, in the order locations first appear; empty lines skipped. */
export function stockByLocation(lines: readonly StockLine[]): LocationStock[] {
  const byId = new Map<string, LocationStock>();
  for (const l of lines) {
    if (l.inStock === 0n) continue;
    let s = byId.get(l.locationId);
    if (!s) {
      s = { locationId: l.locationId, locationName: l.locationName, lots: 0, inStock: 0, usable: 0, expired: 0, held: 0 };
      byId.set(l.locationId, s);
    }
    s.lots += 1;
    s.inStock += Number(l.inStock);
    s.usable += Number(l.usable);
    s.expired += Number(l.expired);
    s.held += Number(l.quarantined) + Number(l.recalled);
  }
  return [...byId.values()];
}

/** The lines of lots on hold or recalled, recalled first. */
export function heldLines(lines: readonly StockLine[]): StockLine[] {
  const rank = (s: LotStatus) => (s === LotStatus.RECALLED ? 0 : 1);
  return lines
    .filter((l) => l.inStock > 0n && (l.lotStatus === LotStatus.QUARANTINED || l.lotStatus === LotStatus.RECALLED))
    .sort((a, b) => rank(a.lotStatus) - rank(b.lotStatus));
}
