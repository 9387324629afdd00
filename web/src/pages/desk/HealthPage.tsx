// Health, for the admin: refused calls since the server started (by reason,
// and the most recent ones), the journal's integrity, and whether the state
// matches a replay of the journal. Calls GetAuthStats, VerifyJournal,
// RebuildCheck.

import { useState } from "preact/hooks";
import { AdminService, Role, type RebuildCheckResponse } from "../../../gen/smptrace/v1/admin_pb";
import { api } from "../../api/client";
import { formatTimestamp } from "../../lib/time";
import type { Page, PageProps } from "../page";
import { JournalCheck } from "./JournalCheck";
import { ErrorText, useAction } from "../../shell/action";
import { LoadState, PageHead, Table, num, useLoad } from "./ui";

function Health({ who }: PageProps) {
  const tz = who.clinicTimeZone;
  const [version, setVersion] = useState(0);
  const stats = useLoad(() => api(AdminService).getAuthStats({}), [version]);
  const [rebuild, setRebuild] = useState<RebuildCheckResponse | undefined>(undefined);
  const rb = useAction();

  return (
    <div class="desk">
      <PageHead title="Health">Refused calls, and whether the record is intact.</PageHead>
      <section class="card" aria-labelledby="h-clinic">
        <h2 id="h-clinic">This clinic</h2>
        <p>
          Name:{" "}
          {who.clinicName ? (
            <strong>{who.clinicName}</strong>
          ) : (
            <>
              <strong>not set</strong>: certificates and reports print no clinic name. Start smptraced with{" "}
              <span class="mono">--clinic_name "…"</span> to print it there and in this header.
            </>
          )}{" "}
          · Time zone: <strong>{tz}</strong>
        </p>
      </section>
      <section class="card" aria-labelledby="h-refused">
        <h2 id="h-refused">Refused calls</h2>
        <LoadState state={stats} isEmpty={() => false} empty="">
          {(s) => {
            const reasons = Object.entries(s.byReason).sort((a, b) => Number(b[1] - a[1]));
            return (
              <>
                <p class="server-ok" role="status">
                  The server answers. Since {formatTimestamp(s.since, tz)}: <strong>{String(s.unauthenticated)}</strong> not authenticated,{" "}
                  <strong>{String(s.permissionDenied)}</strong> denied to the caller's role.
                </p>
                {reasons.length === 0 ? (
                  <p class="empty">No refused calls since the server started.</p>
                ) : (
                  <div class="grid">
                    <div>
                      <h3>By reason</h3>
                      <Table columns={["Reason", num("Calls")]}>
                        {reasons.map(([r, n]) => (
                          <tr key={r}>
                            <td>{r}</td>
                            <td class="num">{String(n)}</td>
                          </tr>
                        ))}
                      </Table>
                    </div>
                    <div>
                      <h3>The most recent</h3>
                      <Table columns={["When", "Who", "Call", "Why"]}>
                        {s.recent.map((r, i) => (
                          <tr key={i}>
                            <td>{formatTimestamp(r.time, tz)}</td>
                            <td>{r.who || "—"}</td>
                            <td class="mono">{r.method.replace(/^\/smptrace\.v1\./, "")}</td>
                            <td>
                              {r.reason} <span class="hint">{r.code}</span>
                            </td>
                          </tr>
                        ))}
                      </Table>
                    </div>
                  </div>
                )}
              </>
            );
          }}
        </LoadState>
        <button type="button" onClick={() => setVersion((v) => v + 1)}>
          Refresh
        </button>
      </section>
      <JournalCheck />
      <section class="card" aria-labelledby="h-rebuild">
        <h2 id="h-rebuild">Does the state match the journal?</h2>
        <p>Replays the journal into a scratch store and compares every record with the live one. Takes a while on a big store.</p>
        <button
          type="button"
          disabled={rb.busy}
          onClick={() =>
            void rb.run(async () => {
              setRebuild(undefined);
              setRebuild(await api(AdminService).rebuildCheck({}));
            })
          }
        >
          {rb.busy ? "Replaying…" : "Run the rebuild check"}
        </button>
        <ErrorText message={rb.error} />
        {rebuild && (
          <div class={`verdict ${rebuild.ok ? "ok" : "bad"}`} role="status">
            <strong>{rebuild.ok ? "State matches the journal" : "State DIFFERS from the journal"}</strong>:{" "}
            {String(rebuild.eventsReplayed)} entries replayed, {String(rebuild.recordsCompared)} records compared.
            {rebuild.differences.length > 0 && (
              <ul>
                {rebuild.differences.map((d) => (
                  <li key={d} class="mono">
                    {d}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </section>
    </div>
  );
}

export const healthPage: Page = {
  path: "/health",
  title: "Health",
  roles: [Role.ADMIN],
  component: Health,
};
