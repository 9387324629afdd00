// Calls the desk pages share: every page of a paged list, read in order.

import { InventoryService, type StockLine } from "../../../gen/smptrace/v1/inventory_pb";
import { api } from "../../api/client";

/** At most this many pages are read (100 lines each by default). */
const MAX_PAGES = 50;

/** Reads every page of a List call: `call` gets the token of the next page. */
export async function allPages<T>(call: (pageToken: string) => Promise<{ items: T[]; next: string }>): Promise<T[]> {
  const out: T[] = [];
  let token = "";
  for (let i = 0; i < MAX_PAGES; i++) {
    const { items, next } = await call(token);
    out.push(...items);
    if (!next) break;
    token = next;
  }
  return out;
}

/** Every stock line (filters as GetStock takes them). */
export function allStock(filter: { gtin?: string; lot?: string; locationId?: string } = {}): Promise<StockLine[]> {
  return allPages(async (pageToken) => {
    const r = await api(InventoryService).getStock({ ...filter, page: { pageSize: 1000, pageToken } });
    return { items: r.lines, next: r.nextPageToken };
  });
}
