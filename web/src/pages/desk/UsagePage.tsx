// Usage: units used per week for each product (GetUsage), a bar chart each,
// with the same numbers (used, received, in stock at the week's end) in a
// table. Weeks start on Monday, in the clinic's calendar.

import { useState } from "preact/hooks";
import { Role } from "../../../gen/smptrace/v1/admin_pb";
import { CatalogService } from "../../../gen/smptrace/v1/catalog_pb";
import { InventoryService } from "../../../gen/smptrace/v1/inventory_pb";
import { api } from "../../api/client";
import { formatDate } from "../../lib/time";
import type { Page, PageProps } from "../page";
import { BarChart } from "./BarChart";
import { LoadState, PageHead, Table, num, useLoad } from "./ui";

const WEEK_CHOICES = [4, 8, 12, 26, 52];

function Usage(_: PageProps) {
  const [weeks, setWeeks] = useState(12);
  const [locationId, setLocationId] = useState("");
  const locations = useLoad(() => api(CatalogService).listLocations({ page: { pageSize: 1000 } }), []);
  const usage = useLoad(() => api(InventoryService).getUsage({ weeks, locationId }), [weeks, locationId]);

  return (
    <div class="desk">
      <PageHead title="Usage">Units used per week (opened into sessions, voided scans excluded), by product.</PageHead>
      <div class="card row">
        <div>
          <label for="u-weeks">Weeks back</label>
          <select id="u-weeks" value={weeks} onChange={(e) => setWeeks(Number((e.target as HTMLSelectElement).value))}>
            {WEEK_CHOICES.map((w) => (
              <option key={w} value={w}>
                {w} weeks
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="u-loc">Location</label>
          <select id="u-loc" value={locationId} onChange={(e) => setLocationId((e.target as HTMLSelectElement).value)}>
            <option value="">The whole clinic</option>
            {(locations.data?.locations ?? []).map((l) => (
              <option key={l.locationId} value={l.locationId}>
                {l.name} ({l.locationId})
              </option>
            ))}
          </select>
        </div>
      </div>
      <LoadState state={usage} isEmpty={(r) => r.products.length === 0} empty="No product has been used or stocked in these weeks.">
        {(r) => (
          <div class="grid">
            {r.products.map((p) => {
              const total = p.weeks.reduce((n, w) => n + Number(w.used), 0);
              return (
                <section class="card" key={p.gtin} aria-labelledby={`u-${p.gtin}`}>
                  <h2 id={`u-${p.gtin}`}>
                    {p.productName} <span class="hint mono">{p.gtin}</span>
                  </h2>
                  <p>
                    {total} used in {p.weeks.length} weeks ({(total / Math.max(1, p.weeks.length)).toFixed(1)} a week)
                  </p>
                  <BarChart
                    title={`${p.productName}: units used per week (week starting)`}
                    unit="used"
                    bars={p.weeks.map((w) => ({ label: formatDate(w.weekStart), value: Number(w.used) }))}
                  />
                  <details>
                    <summary>The numbers</summary>
                    <Table columns={["Week starting", num("Used"), num("Received"), num("In stock at end")]}>
                      {p.weeks.map((w) => (
                        <tr key={formatDate(w.weekStart)}>
                          <td>{formatDate(w.weekStart)}</td>
                          <td class="num">{String(w.used)}</td>
                          <td class="num">{String(w.received)}</td>
                          <td class="num">{String(w.inStockAtEnd)}</td>
                        </tr>
                      ))}
                    </Table>
                  </details>
                </section>
              );
            })}
          </div>
        )}
      </LoadState>
    </div>
  );
}

export const usagePage: Page = {
  path: "/usage",
  title: "Usage",
  roles: [Role.MANAGER],
  component: Usage,
};
