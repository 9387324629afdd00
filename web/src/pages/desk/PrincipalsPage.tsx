// Principals and tokens, for the admin: who may use the service, in which
// role, with which tokens; create a principal (its first token shown once),
// rotate a token (a new one, the others revoked), issue another, revoke
// one, disable a principal. Calls ListPrincipals, CreatePrincipal,
// IssueToken, RevokeToken, DisablePrincipal.

import { useState } from "preact/hooks";
import { AdminService, Role, type Principal, type TokenInfo } from "../../../gen/smptrace/v1/admin_pb";
import { api, requestId } from "../../api/client";
import { formatTimestamp } from "../../lib/time";
import type { Page, PageProps } from "../page";
import { TokenOnce } from "./TokenOnce";
import { ErrorText, useAction } from "../../shell/action";
import { LoadState, PageHead, Table, TextField, enumLabel, useLoad } from "./ui";

const ROLES = [Role.PRACTITIONER, Role.MANAGER, Role.AUDITOR, Role.ADMIN];

interface Shown {
  token: string;
  who: string;
}

function Principals({ who }: PageProps) {
  const [version, setVersion] = useState(0);
  const list = useLoad(() => api(AdminService).listPrincipals({}), [version]);
  const [shown, setShown] = useState<Shown | undefined>(undefined);
  const [showDisabled, setShowDisabled] = useState(false);
  const changed = () => setVersion((v) => v + 1);
  const tz = who.clinicTimeZone;

  return (
    <div class="desk">
      <PageHead title="Principals and tokens">Who may use smptrace, in which role, and with which tokens.</PageHead>
      {shown && <TokenOnce token={shown.token} who={shown.who} onDone={() => setShown(undefined)} />}
      <div class="columns">
        <section class="card" aria-labelledby="p-list">
          <h2 id="p-list">Principals</h2>
          <label class="check" for="p-disabled">
            <input id="p-disabled" type="checkbox" checked={showDisabled} onChange={(e) => setShowDisabled((e.target as HTMLInputElement).checked)} />
            Also disabled principals
          </label>
          <LoadState state={list} isEmpty={(r) => r.principals.length === 0} empty="No principals.">
            {(r) => (
              <div>
                {r.principals
                  .filter((p) => showDisabled || !p.disabled)
                  .map((p) => (
                    <PrincipalCard key={`${p.name} ${String(p.version)}`} p={p} timeZone={tz} onChanged={changed} onToken={setShown} />
                  ))}
              </div>
            )}
          </LoadState>
        </section>
        <CreateForm
          onCreated={(s) => {
            setShown(s);
            changed();
          }}
        />
      </div>
    </div>
  );
}

function CreateForm(props: { onCreated: (s: Shown) => void }) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>(Role.PRACTITIONER);
  const [displayName, setDisplayName] = useState("");
  const [note, setNote] = useState("");
  const action = useAction();

  async function create(e: Event) {
    e.preventDefault();
    const r = await action.run(() =>
      api(AdminService).createPrincipal({
        requestId: requestId(),
        name: name.trim(),
        role,
        displayName: displayName.trim(),
        tokenNote: note.trim(),
      }),
    );
    if (r) {
      props.onCreated({ token: r.token, who: r.principal?.name ?? name });
      setName("");
      setDisplayName("");
      setNote("");
    }
  }

  return (
    <form class="card" onSubmit={create} aria-labelledby="p-new">
      <h2 id="p-new">A new principal</h2>
      <TextField id="p-name" label="Name" value={name} onInput={setName} hint="a-z, 0-9, . _ - (e.g. anna, reception-tablet). Never reused." />
      <label for="p-role">Role</label>
      <select id="p-role" value={role} onChange={(e) => setRole(Number((e.target as HTMLSelectElement).value) as Role)}>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {enumLabel(Role, r)}
          </option>
        ))}
      </select>
      <TextField id="p-display" label="Display name (optional)" value={displayName} onInput={setDisplayName} />
      <TextField id="p-note" label="What the first token is for (optional)" value={note} onInput={setNote} placeholder="Anna's tablet" />
      <ErrorText message={action.error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy}>
          Create, with a token
        </button>
      </div>
    </form>
  );
}

type Ask = { kind: "disable" } | { kind: "revoke"; tokenId: string } | { kind: "issue"; rotate: boolean };

function PrincipalCard(props: { p: Principal; timeZone: string; onChanged: () => void; onToken: (s: Shown) => void }) {
  const { p } = props;
  const tz = props.timeZone;
  const [ask, setAsk] = useState<Ask | undefined>(undefined);
  const [text, setText] = useState("");
  const action = useAction();
  const live = p.tokens.filter((t) => !t.revoked);

  async function confirm(e: Event) {
    e.preventDefault();
    if (!ask) return;
    const admin = api(AdminService);
    if (ask.kind === "issue") {
      const r = await action.run(() => admin.issueToken({ requestId: requestId(), principal: p.name, note: text.trim(), revokeOthers: ask.rotate }));
      if (!r) return;
      props.onToken({ token: r.token, who: p.name });
    } else if (ask.kind === "revoke") {
      if (!(await action.run(() => admin.revokeToken({ requestId: requestId(), tokenId: ask.tokenId, reason: text.trim() })))) return;
    } else {
      if (!(await action.run(() => admin.disablePrincipal({ requestId: requestId(), name: p.name, reason: text.trim() })))) return;
    }
    setAsk(undefined);
    setText("");
    props.onChanged();
  }

  const askLabel =
    ask?.kind === "issue" ? "What the new token is for (optional)" : ask?.kind === "revoke" ? `Why ${ask.tokenId} is revoked` : `Why ${p.name} is disabled`;

  return (
    <article class={`principal ${p.disabled ? "disabled" : ""}`} aria-labelledby={`pr-${p.name}`}>
      <h3 id={`pr-${p.name}`}>
        {p.name} <span class="badge ok">{enumLabel(Role, p.role)}</span>
        {p.disabled && <span class="badge bad">disabled</span>}
        {p.displayName && <span class="hint"> {p.displayName}</span>}
      </h3>
      <p class="hint">
        Created {formatTimestamp(p.createdAt, tz)} by {p.createdBy}
        {p.certificateCn && ` · certificate CN ${p.certificateCn}`}
        {p.disabled && ` · disabled: ${p.disabledReason}`}
      </p>
      {p.tokens.length > 0 && <TokenTable tokens={p.tokens} timeZone={tz} disabled={p.disabled} onRevoke={(tokenId) => setAsk({ kind: "revoke", tokenId })} />}
      {!p.disabled && !ask && (
        <div class="actions">
          <button type="button" class="small" onClick={() => setAsk({ kind: "issue", rotate: true })}>
            Rotate token…
          </button>
          <button type="button" class="small" onClick={() => setAsk({ kind: "issue", rotate: false })}>
            Another token…
          </button>
          <button type="button" class="small danger" onClick={() => setAsk({ kind: "disable" })}>
            Disable…
          </button>
        </div>
      )}
      {ask && (
        <form class="subform" onSubmit={confirm}>
          {ask.kind === "issue" && ask.rotate && (
            <p>
              A new token for {p.name}; {live.length === 0 ? "there is no live token to revoke" : `${live.map((t) => t.tokenId).join(", ")} revoked in the same step`}.
            </p>
          )}
          <TextField id={`ask-${p.name}`} label={askLabel} value={text} onInput={setText} />
          <ErrorText message={action.error} />
          <div class="actions">
            <button type="submit" class={ask.kind === "issue" ? "primary" : "primary danger-fill"} disabled={action.busy}>
              {ask.kind === "issue" ? (ask.rotate ? "Rotate" : "Issue") : ask.kind === "revoke" ? "Revoke" : "Disable"}
            </button>
            <button type="button" onClick={() => (setAsk(undefined), setText(""))}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </article>
  );
}

function TokenTable(props: { tokens: readonly TokenInfo[]; timeZone: string; disabled: boolean; onRevoke: (tokenId: string) => void }) {
  const tz = props.timeZone;
  return (
    <Table columns={["Token", "For", "Issued", { label: "State", hidden: true }]} class="tokens">
      {props.tokens.map((t) => (
        <tr key={t.tokenId} class={t.revoked ? "voided" : ""}>
          <td class="mono keep">{t.tokenId}</td>
          <td>{t.note || "—"}</td>
          <td>
            {formatTimestamp(t.issuedAt, tz)} <span class="hint">by {t.issuedBy}</span>
          </td>
          <td class="keep">
            {t.revoked ? (
              <span class="hint">
                revoked {formatTimestamp(t.revokedAt, tz)} by {t.revokedBy}: {t.revokeReason}
              </span>
            ) : props.disabled ? null : (
              <button type="button" class="small danger" onClick={() => props.onRevoke(t.tokenId)}>
                Revoke…
              </button>
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}

export const principalsPage: Page = {
  path: "/principals",
  title: "Principals",
  roles: [Role.ADMIN],
  component: Principals,
};
