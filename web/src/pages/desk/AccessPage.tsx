// Who read or exported which client's record over a period: every recorded
// access (a contact look-up, a client history, a sterility record, a
// subject-access export), and per person how many and to how many clients.
// Calls ClientAccessReport.

import { useState } from "preact/hooks";
import { Role } from "../../../gen/smptrace/v1/admin_pb";
import { AuditService, type ClientAccessReportResponse } from "../../../gen/smptrace/v1/audit_pb";
import { ClientAccessKind } from "../../../gen/smptrace/v1/session_pb";
import { api } from "../../api/client";
import { lastDays, periodOfDays } from "../../lib/period";
import { formatTimestamp } from "../../lib/time";
import type { Page, PageProps } from "../page";
import { PeriodPicker } from "./PeriodPicker";
import { ErrorText, useAction } from "../../shell/action";
import { PageHead, Table, TextField, num } from "./ui";

function Access({ who }: PageProps) {
  const tz = who.clinicTimeZone;
  const initial = lastDays(30, new Date(), tz);
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [client, setClient] = useState("");
  const [answer, setAnswer] = useState<ClientAccessReportResponse | undefined>(undefined);
  const action = useAction();

  async function run(e: Event) {
    e.preventDefault();
    setAnswer(undefined);
    const r = await action.run(() =>
      api(AuditService).clientAccessReport({ ...periodOfDays(from, to, tz), client: client.trim() }),
    );
    if (r) setAnswer(r);
  }

  return (
    <div class="desk">
      <PageHead title="Client access">Who read or exported which client's record, and when.</PageHead>
      <section class="card" aria-labelledby="a-ask">
        <h2 id="a-ask">Period</h2>
        <form onSubmit={run}>
          <PeriodPicker idPrefix="a" from={from} to={to} timeZone={tz} onChange={(f, t) => (setFrom(f), setTo(t))} />
          <TextField id="a-client" label="Only this client (code or id, optional)" value={client} onInput={setClient} />
          <button type="submit" class="primary" disabled={action.busy}>
            List the accesses
          </button>
        </form>
        <ErrorText message={action.error} />
      </section>
      {answer && (
        <>
          <section class="card" aria-labelledby="a-who">
            <h2 id="a-who" aria-live="polite" aria-atomic="true">
              {answer.accesses.length} access{answer.accesses.length === 1 ? "" : "es"}
            </h2>
            {answer.tallies.length === 0 ? (
              <p class="empty">Nobody read, exported or erased a client's record in this period.</p>
            ) : (
              <Table columns={["Who", num("Reads"), num("Exports"), num("Erasures"), num("Clients")]}>
                {answer.tallies.map((t) => (
                  <tr key={t.by}>
                    <td>{t.by}</td>
                    <td class="num">{String(t.reads)}</td>
                    <td class="num">{String(t.exports)}</td>
                    <td class="num">{String(t.erasures)}</td>
                    <td class="num">{String(t.clients)}</td>
                  </tr>
                ))}
              </Table>
            )}
          </section>
          {answer.accesses.length > 0 && (
            <section class="card" aria-labelledby="a-list">
              <h2 id="a-list">Each access</h2>
              <Table columns={["When", "Who", "Client", "What", num("Entry")]}>
                {answer.accesses.map((a) => (
                  <tr key={`${String(a.seq)} ${a.clientId}`}>
                    <td>{formatTimestamp(a.at, tz)}</td>
                    <td>{a.by}</td>
                    <td class="nowrap">
                      {a.clientCode} <span class="hint mono">{a.clientId}</span>
                    </td>
                    <td>
                      {a.kind === ClientAccessKind.EXPORT ? <strong>export: </strong> : null}
                      {a.kind === ClientAccessKind.ERASURE ? <strong>erased: </strong> : null}
                      {a.what}
                    </td>
                    <td class="num mono">{String(a.seq)}</td>
                  </tr>
                ))}
              </Table>
            </section>
          )}
        </>
      )}
    </div>
  );
}

export const accessPage: Page = {
  path: "/access",
  title: "Client access",
  roles: [Role.AUDITOR],
  component: Access,
};
