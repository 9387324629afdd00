// Exceptions over a period: every session started in it that has one
// (a BLOCKED screening approved, a reuse attempt, a voided scan, a damaged
// package, closed with units not disposed). Calls ListExceptions.

import { useState } from "preact/hooks";
import { Role } from "../../../gen/smptrace/v1/admin_pb";
import { AuditService, type ListExceptionsResponse } from "../../../gen/smptrace/v1/audit_pb";
import { api } from "../../api/client";
import { lastDays, periodOfDays } from "../../lib/period";
import { formatTimestamp } from "../../lib/time";
import type { Page, PageProps } from "../page";
import { PeriodPicker } from "./PeriodPicker";
import { ErrorText, useAction } from "../../shell/action";
import { PageHead, PageLink, Table, num } from "./ui";

function Exceptions({ who }: PageProps) {
  const tz = who.clinicTimeZone;
  const initial = lastDays(30, new Date(), tz);
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [answer, setAnswer] = useState<ListExceptionsResponse | undefined>(undefined);
  const action = useAction();

  async function run(e: Event) {
    e.preventDefault();
    setAnswer(undefined);
    const r = await action.run(() => api(AuditService).listExceptions(periodOfDays(from, to, tz)));
    if (r) setAnswer(r);
  }

  const kinds = new Map<string, number>();
  for (const x of answer?.exceptions ?? []) {
    const k = x.exception?.kind ?? "";
    kinds.set(k, (kinds.get(k) ?? 0) + 1);
  }

  return (
    <div class="desk">
      <PageHead title="Exceptions">What went off the normal path in the sessions of a period.</PageHead>
      <section class="card" aria-labelledby="x-ask">
        <h2 id="x-ask">Period</h2>
        <form onSubmit={run}>
          <PeriodPicker idPrefix="x" from={from} to={to} timeZone={tz} onChange={(f, t) => (setFrom(f), setTo(t))} />
          <button type="submit" class="primary" disabled={action.busy}>
            List the exceptions
          </button>
        </form>
        <ErrorText message={action.error} />
      </section>
      {answer && (
        <section class="card" aria-labelledby="x-list">
          <h2 id="x-list" aria-live="polite" aria-atomic="true">
            {answer.exceptions.length} exception{answer.exceptions.length === 1 ? "" : "s"} in {answer.sessionsExamined} session
            {answer.sessionsExamined === 1 ? "" : "s"}
          </h2>
          {answer.exceptions.length === 0 ? (
            <p class="empty">No exceptions in this period.</p>
          ) : (
            <>
              <ul class="chips">
                {[...kinds].map(([k, n]) => (
                  <li key={k}>
                    {k.replace(/_/g, " ")}: <strong>{n}</strong>
                  </li>
                ))}
              </ul>
              <Table columns={["Session", "Client", "Started", "Exception", num("Entry")]}>
                {answer.exceptions.map((x) => (
                  <tr key={`${x.sessionId} ${String(x.exception?.seq)}`}>
                    <td class="mono">
                      <PageLink href={`/records?session=${encodeURIComponent(x.sessionId)}`}>{x.sessionId}</PageLink>
                    </td>
                    <td class="nowrap">{x.clientCode}</td>
                    <td>{formatTimestamp(x.startedAt, tz)}</td>
                    <td>
                      <strong>{x.exception?.kind.replace(/_/g, " ")}</strong>
                      <div>{x.exception?.detail}</div>
                    </td>
                    <td class="num mono">{String(x.exception?.seq ?? "")}</td>
                  </tr>
                ))}
              </Table>
            </>
          )}
        </section>
      )}
    </div>
  );
}

export const exceptionsPage: Page = {
  path: "/exceptions",
  title: "Exceptions",
  roles: [Role.AUDITOR],
  component: Exceptions,
};
