// A table of stock lines (one lot at one location), as the dashboard and the
// lots page show them; a lot's name can open it on the lots page.

import { LotStatus, type StockLine } from "../../../gen/smptrace/v1/inventory_pb";
import { formatDate } from "../../lib/time";
import { navigate } from "../../shell/router";
import { Table, enumLabel, num } from "./ui";

const STATUS_CLASS: Record<LotStatus, string> = {
  [LotStatus.UNSPECIFIED]: "warn",
  [LotStatus.RELEASED]: "ok",
  [LotStatus.QUARANTINED]: "warn",
  [LotStatus.RECALLED]: "bad",
};

export function LotStatusBadge(props: { status: LotStatus }) {
  return <span class={`badge ${STATUS_CLASS[props.status]}`}>{enumLabel(LotStatus, props.status)}</span>;
}

/** The lots page's address for one lot. */
export function lotPath(gtin: string, lot: string): string {
  return `/lots?gtin=${encodeURIComponent(gtin)}&lot=${encodeURIComponent(lot)}`;
}

/** Opens the lot on the lots page, or calls `onPick` (on the lots page itself). */
export function LotLink(props: { gtin: string; lot: string; onPick?: (gtin: string, lot: string) => void }) {
  const href = lotPath(props.gtin, props.lot);
  return (
    <a
      href={href}
      onClick={(e) => {
        e.preventDefault();
        if (props.onPick) {
          history.replaceState(null, "", href);
          props.onPick(props.gtin, props.lot);
        } else {
          navigate(href);
        }
      }}
    >
      {props.lot}
    </a>
  );
}

export function StockTable(props: {
  lines: readonly StockLine[];
  caption: string;
  onPick?: (gtin: string, lot: string) => void;
}) {
  return (
    <Table
      columns={[
        "Product",
        "Lot",
        "Expiry",
        "Location",
        "Status",
        num("In stock"),
        num("Usable"),
        num("Expired"),
        num("Held"),
      ]}
      caption={props.caption}
    >
      {props.lines.map((l) => (
        <tr key={`${l.gtin} ${l.lot} ${l.locationId}`}>
          <td>
            {l.productName}
            <div class="hint mono">{l.gtin}</div>
          </td>
          <td>
            <LotLink gtin={l.gtin} lot={l.lot} onPick={props.onPick} />
          </td>
          <td>{formatDate(l.expiry) || "—"}</td>
          <td>{l.locationName || l.locationId}</td>
          <td>
            <LotStatusBadge status={l.lotStatus} />
          </td>
          <td class="num">{String(l.inStock)}</td>
          <td class="num">{String(l.usable)}</td>
          <td class="num">{String(l.expired)}</td>
          <td class="num">{String(l.quarantined + l.recalled)}</td>
        </tr>
      ))}
    </Table>
  );
}
