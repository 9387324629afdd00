// Lots: every lot in stock, and one lot's facts with the actions on it:
// put on hold (quarantine), release, or recall with the notice's reference
// and text; discard units of it, or correct its count after a stock take
// (LotStockForm). Calls GetStock, GetLot and SetLotStatus.

import { useState } from "preact/hooks";
import { Role } from "../../../gen/smptrace/v1/admin_pb";
import { SterilizationMethod } from "../../../gen/smptrace/v1/catalog_pb";
import { InventoryService, LotStatus } from "../../../gen/smptrace/v1/inventory_pb";
import { api, requestId } from "../../api/client";
import { formatDate, formatTimestamp, parseDate } from "../../lib/time";
import type { Page, PageProps } from "../page";
import { allStock } from "./calls";
import { LotStatusBadge, StockTable } from "./StockTable";
import { LotStockForm } from "./LotStockForm";
import { ErrorText, useAction } from "../../shell/action";
import { DateInput } from "../../shell/DateInput";
import { LoadState, PageHead, TextField, enumLabel, useLoad } from "./ui";

interface LotKey {
  gtin: string;
  lot: string;
}

function fromQuery(): LotKey | undefined {
  const q = new URLSearchParams(location.search);
  const gtin = q.get("gtin") ?? "";
  const lot = q.get("lot") ?? "";
  return gtin && lot ? { gtin, lot } : undefined;
}

function Lots({ who }: PageProps) {
  const [picked, setPicked] = useState<LotKey | undefined>(fromQuery);
  const [gtin, setGtin] = useState(picked?.gtin ?? "");
  const [lot, setLot] = useState(picked?.lot ?? "");
  const [version, setVersion] = useState(0);
  const stock = useLoad(() => allStock(), [version]);
  const [filter, setFilter] = useState("");

  function pick(g: string, l: string) {
    setGtin(g);
    setLot(l);
    setPicked({ gtin: g, lot: l });
    document.getElementById("lot-detail")?.scrollIntoView();
  }

  const f = filter.trim().toLowerCase();
  return (
    <div class="desk">
      <PageHead title="Lots">Find a lot; put it on hold, release it, or recall it with the notice.</PageHead>
      <section class="card" aria-labelledby="l-find">
        <h2 id="l-find">Find a lot</h2>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (gtin.trim() && lot.trim()) pick(gtin.trim(), lot.trim());
          }}
        >
          <TextField id="l-gtin" label="GTIN" value={gtin} onInput={setGtin} />
          <TextField id="l-lot" label="Lot, exactly as printed" value={lot} onInput={setLot} />
          <div>
            <button type="submit" class="primary">
              Show the lot
            </button>
          </div>
        </form>
      </section>

      {picked && (
        <LotDetail key={`${picked.gtin} ${picked.lot} ${version}`} lot={picked} timeZone={who.clinicTimeZone} onChanged={() => setVersion((v) => v + 1)} />
      )}

      <section class="card" aria-labelledby="l-all">
        <h2 id="l-all">Lots in stock</h2>
        <TextField id="l-filter" label="Filter by product, GTIN, lot or location" value={filter} onInput={setFilter} />
        <LoadState state={stock} isEmpty={(l) => l.length === 0} empty="No lots in stock.">
          {(lines) => {
            const shown = lines.filter(
              (l) => !f || [l.productName, l.gtin, l.lot, l.locationId, l.locationName].some((x) => x.toLowerCase().includes(f)),
            );
            return shown.length === 0 ? (
              <p class="empty">No lot matches “{filter}”.</p>
            ) : (
              <StockTable lines={shown} caption="Lots in stock" onPick={pick} />
            );
          }}
        </LoadState>
      </section>
    </div>
  );
}

type Act = "quarantine" | "release" | "recall";

function LotDetail(props: { lot: LotKey; timeZone: string; onChanged: () => void }) {
  const { gtin, lot } = props.lot;
  const state = useLoad(() => api(InventoryService).getLot({ gtin, lot }), [gtin, lot]);
  const [act, setAct] = useState<Act | undefined>(undefined);
  const [reason, setReason] = useState("");
  const [reference, setReference] = useState("");
  const [text, setText] = useState("");
  const [noticeDate, setNoticeDate] = useState("");
  const action = useAction();
  const tz = props.timeZone;

  async function apply(e: Event) {
    e.preventDefault();
    if (!act) return;
    const status = act === "quarantine" ? LotStatus.QUARANTINED : act === "release" ? LotStatus.RELEASED : LotStatus.RECALLED;
    const r = await action.run(() =>
      api(InventoryService).setLotStatus({
        requestId: requestId(),
        gtin,
        lot,
        status,
        reason: act === "recall" ? "" : reason.trim(),
        recall: act === "recall" ? { reference: reference.trim(), text: text.trim(), noticeDate: parseDate(noticeDate) } : undefined,
      }),
    );
    if (r) {
      setAct(undefined);
      props.onChanged();
    }
  }

  return (
    <section class="card" id="lot-detail" aria-labelledby="l-detail">
      <h2 id="l-detail">
        Lot {lot} <span class="hint mono">{gtin}</span>
      </h2>
      <LoadState state={state} isEmpty={() => false} empty="">
        {(r) => {
          const l = r.lot;
          if (!l) return <p class="empty">No such lot.</p>;
          return (
            <>
              <dl class="facts">
                <dt>Product</dt>
                <dd>{r.product?.name}</dd>
                <dt>Status</dt>
                <dd>
                  <LotStatusBadge status={l.status} /> {l.statusReason}
                  {l.statusChangedAt && (
                    <span class="hint">
                      {" "}
                      · {formatTimestamp(l.statusChangedAt, tz)} by {l.statusChangedBy}
                    </span>
                  )}
                </dd>
                {l.recall && (
                  <>
                    <dt>Recall notice</dt>
                    <dd>
                      <strong>{l.recall.reference}</strong> ({formatDate(l.recall.noticeDate)}): {l.recall.text}
                    </dd>
                  </>
                )}
                <dt>Expiry</dt>
                <dd>{formatDate(l.expiry) || "does not expire"}</dd>
                <dt>Sterilisation</dt>
                <dd>
                  {l.sterilization
                    ? `${enumLabel(SterilizationMethod, l.sterilization.method)} · batch ${l.sterilization.batch || "—"} · certificate ${l.sterilization.certificate || "—"}`
                    : "—"}
                </dd>
                <dt>Received</dt>
                <dd>
                  {String(l.receivedQuantity)} units, first on {formatTimestamp(l.firstReceivedAt, tz)}
                </dd>
              </dl>
              {r.stock.length > 0 ? (
                <>
                  <StockTable lines={r.stock} caption={`Stock of lot ${lot}`} onPick={() => undefined} />
                  <LotStockForm gtin={gtin} lot={lot} stock={r.stock.filter((s) => s.inStock > 0n)} onChanged={props.onChanged} />
                </>
              ) : (
                <p class="empty">No units of this lot anywhere.</p>
              )}
              <div class="actions">
                {l.status !== LotStatus.QUARANTINED && l.status !== LotStatus.RECALLED && (
                  <button type="button" onClick={() => setAct("quarantine")}>
                    Put on hold…
                  </button>
                )}
                {l.status === LotStatus.QUARANTINED && (
                  <button type="button" onClick={() => setAct("release")}>
                    Release…
                  </button>
                )}
                {l.status !== LotStatus.RECALLED && (
                  <button type="button" class="danger" onClick={() => setAct("recall")}>
                    Recall…
                  </button>
                )}
                {l.status === LotStatus.RECALLED && <p class="hint">A recall is final: the lot is never released again.</p>}
              </div>
              {act && (
                <form class="subform" onSubmit={apply} aria-labelledby="l-act">
                  <h3 id="l-act">
                    {act === "quarantine" ? "Put the lot on hold" : act === "release" ? "Release the lot" : "Recall the lot"}
                  </h3>
                  {act === "recall" ? (
                    <>
                      <TextField id="l-ref" label="Notice reference" value={reference} onInput={setReference} placeholder="FSN-2026-014" />
                      <label for="l-text">Notice text (as received, or its summary)</label>
                      <textarea id="l-text" value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
                      <div>
                        <label for="l-date">Date of the notice (blank: today)</label>
                        <DateInput id="l-date" value={noticeDate} onChange={setNoticeDate} />
                      </div>
                      <p class="hint">Every unit of the lot is refused at the chair from now on. A recall is final.</p>
                    </>
                  ) : (
                    <TextField
                      id="l-reason"
                      label={act === "quarantine" ? "Why it is put on hold" : "Why it is released"}
                      value={reason}
                      onInput={setReason}
                    />
                  )}
                  <ErrorText message={action.error} />
                  <div class="actions">
                    <button type="submit" class={act === "recall" ? "primary danger-fill" : "primary"} disabled={action.busy}>
                      {act === "quarantine" ? "Put on hold" : act === "release" ? "Release" : "Recall the lot"}
                    </button>
                    <button type="button" onClick={() => setAct(undefined)}>
                      Cancel
                    </button>
                  </div>
                </form>
              )}
            </>
          );
        }}
      </LoadState>
    </section>
  );
}

export const lotsPage: Page = {
  path: "/lots",
  title: "Lots",
  roles: [Role.MANAGER],
  component: Lots,
};
