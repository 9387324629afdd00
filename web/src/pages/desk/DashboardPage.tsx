// The manager's dashboard: stock per location, lots expiring soon, lots on
// hold or recalled, sessions still open, what to order with the reasons, and
// recall notices to check (RecallCandidates.tsx).
// Calls GetStock, ListExpiring, ListSessions and SuggestReorder.

import { InventoryService } from "../../../gen/smptrace/v1/inventory_pb";
import { Role } from "../../../gen/smptrace/v1/admin_pb";
import { SessionService, SessionStatus } from "../../../gen/smptrace/v1/session_pb";
import { api } from "../../api/client";
import { formatTimestamp } from "../../lib/time";
import type { Page, PageProps } from "../page";
import { allStock } from "./calls";
import { heldLines, stockByLocation } from "./stock";
import { StockTable } from "./StockTable";
import { RecallCandidates } from "./RecallCandidates";
import { LoadState, PageHead, PageLink, Table, num, useLoad } from "./ui";

const EXPIRING_DAYS = 30;

function Dashboard({ who }: PageProps) {
  const stock = useLoad(() => allStock(), []);
  const expiring = useLoad(() => api(InventoryService).listExpiring({ days: EXPIRING_DAYS }), []);
  const open = useLoad(() => api(SessionService).listSessions({ status: SessionStatus.OPEN, page: { pageSize: 1000 } }), []);
  const reorder = useLoad(() => api(InventoryService).suggestReorder({}), []);
  const tz = who.clinicTimeZone;

  return (
    <div class="desk">
      <PageHead title="Dashboard">Stock, what needs attention, and what to order, as of now.</PageHead>
      <RecallCandidates />
      <div class="grid">
        <section class="card" aria-labelledby="d-stock">
          <h2 id="d-stock">Stock per location</h2>
          <LoadState state={stock} isEmpty={(l) => stockByLocation(l).length === 0} empty="No stock anywhere: nothing has been received yet.">
            {(lines) => (
              <Table
                columns={[
                  "Location",
                  num("Lots"),
                  num("In stock"),
                  num("Usable"),
                  num("Expired"),
                  num("Held"),
                ]}
              >
                {stockByLocation(lines).map((s) => (
                  <tr key={s.locationId}>
                    <td>
                      {s.locationName || s.locationId}
                      <div class="hint mono">{s.locationId}</div>
                    </td>
                    <td class="num">{s.lots}</td>
                    <td class="num">{s.inStock}</td>
                    <td class="num">{s.usable}</td>
                    <td class="num">{s.expired ? <span class="badge warn">{s.expired}</span> : 0}</td>
                    <td class="num">{s.held ? <span class="badge bad">{s.held}</span> : 0}</td>
                  </tr>
                ))}
              </Table>
            )}
          </LoadState>
          <p class="hint">Held: quarantined or recalled units, in stock and never usable.</p>
        </section>

        <section class="card" aria-labelledby="d-open">
          <h2 id="d-open">Sessions still open</h2>
          <LoadState state={open} isEmpty={(r) => r.sessions.length === 0} empty="No sessions open.">
            {(r) => (
              <Table columns={["Session", "Client", "Practitioner", "Started", num("To dispose")]}>
                {r.sessions.map((s) => (
                  <tr key={s.sessionId}>
                    <td class="mono">{s.sessionId}</td>
                    <td class="nowrap">{s.clientCode}</td>
                    <td>
                      {s.practitioner}
                      <div class="hint mono">{s.locationId}</div>
                    </td>
                    <td>{formatTimestamp(s.startedAt, tz)}</td>
                    <td class="num">{s.awaitingDisposal}</td>
                  </tr>
                ))}
              </Table>
            )}
          </LoadState>
        </section>
      </div>

      <section class="card" aria-labelledby="d-held">
        <h2 id="d-held">Lots on hold or recalled</h2>
        <LoadState state={stock} isEmpty={(l) => heldLines(l).length === 0} empty="No lots on hold or recalled with units in stock.">
          {(lines) => <StockTable lines={heldLines(lines)} caption="Lots on hold or recalled" />}
        </LoadState>
      </section>

      <section class="card" aria-labelledby="d-exp">
        <h2 id="d-exp">Lots expiring within {EXPIRING_DAYS} days</h2>
        <LoadState state={expiring} isEmpty={(r) => r.lines.length === 0} empty={`No lot in stock expires within ${EXPIRING_DAYS} days.`}>
          {(r) => <StockTable lines={r.lines} caption={`Lots expiring within ${EXPIRING_DAYS} days`} />}
        </LoadState>
        <p class="hint">Already expired lots are listed too, until their units are discarded.</p>
      </section>

      <section class="card" aria-labelledby="d-order">
        <h2 id="d-order">What to order</h2>
        <LoadState state={reorder} isEmpty={(r) => r.lines.length === 0} empty="Nothing to order now: every product with a reorder policy has enough usable stock and orders on the way.">
          {(r) => (
            <ul class="plain reorder">
              {r.lines.map((l) => (
                <li key={`${l.gtin} ${l.locationId}`}>
                  <strong>{l.productName}</strong> {l.locationId ? `at ${l.locationId}` : "(clinic)"}:{" "}
                  {l.packs > 0 ? `order ${l.packs} pack${l.packs === 1 ? "" : "s"} (${String(l.quantity)} units)` : "no order"}
                  <div class="hint">{l.explanation}</div>
                </li>
              ))}
            </ul>
          )}
        </LoadState>
        <p>
          <PageLink href="/orders">Purchase orders from these suggestions →</PageLink>
          {" · "}
          <PageLink href="/reorder">Reorder policies behind them →</PageLink>
        </p>
      </section>
    </div>
  );
}

export const dashboardPage: Page = {
  path: "/dashboard",
  title: "Dashboard",
  roles: [Role.MANAGER],
  component: Dashboard,
};
