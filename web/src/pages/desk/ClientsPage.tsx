// Clients, for the manager: the list by code (pseudonymous), and one
// client's contact details on request — each read is recorded on the
// client's record, so they are fetched only when asked for — with a form to
// write new ones, and the client's whole record for a subject access
// request (JSON and PDF; recorded as an export on the client's access log).
// Calls ListClients, GetClient, UpdateClientContact, ExportClientRecord.

import { useState } from "preact/hooks";
import { Role } from "../../../gen/smptrace/v1/admin_pb";
import { SessionService, type Client } from "../../../gen/smptrace/v1/session_pb";
import { toJson } from "@bufbuild/protobuf";
import { AuditService, ClientRecordExportSchema } from "../../../gen/smptrace/v1/audit_pb";
import { api, requestId } from "../../api/client";
import { saveBlob } from "../../api/download";
import { formatTimestamp } from "../../lib/time";
import type { Page, PageProps } from "../page";
import { allPages } from "./calls";
import { ErrorText, useAction } from "../../shell/action";
import { LoadState, PageHead, Table, TextField, useLoad } from "./ui";

function Clients({ who }: PageProps) {
  const [prefix, setPrefix] = useState("");
  const [query, setQuery] = useState("");
  const [shown, setShown] = useState("");
  const list = useLoad(
    () =>
      allPages(async (pageToken) => {
        const r = await api(SessionService).listClients({ codePrefix: query, page: { pageSize: 1000, pageToken } });
        return { items: r.clients, next: r.nextPageToken };
      }),
    [query],
  );
  const tz = who.clinicTimeZone;

  return (
    <div class="desk">
      <PageHead title="Clients">
        Clients by their code. Contact details are shown only when you ask, and each look is recorded on the client's record.
      </PageHead>
      <div class="columns">
        <section class="card" aria-labelledby="c-list">
          <h2 id="c-list">Clients</h2>
          <form
            class="row"
            onSubmit={(e) => {
              e.preventDefault();
              setQuery(prefix.trim());
            }}
          >
            <TextField id="c-prefix" label="Code starts with" value={prefix} onInput={setPrefix} />
            <div>
              <button type="submit">Search</button>
            </div>
          </form>
          <LoadState state={list} isEmpty={(l) => l.length === 0} empty={query ? `No client's code starts with “${query}”.` : "No clients registered yet."}>
            {(clients) => (
              <Table columns={["Code", "Id", "Registered", { label: "Contact", hidden: true }]}>
                {clients.map((c) => (
                  <tr key={c.clientId} aria-current={c.clientId === shown ? "true" : undefined}>
                    <td>
                      <strong>{c.code}</strong>
                    </td>
                    <td class="mono">{c.clientId}</td>
                    <td>
                      {formatTimestamp(c.createdAt, tz)} <span class="hint">by {c.createdBy}</span>
                    </td>
                    <td>
                      <button type="button" class="small" onClick={() => setShown(c.clientId)}>
                        Contact details
                      </button>
                    </td>
                  </tr>
                ))}
              </Table>
            )}
          </LoadState>
        </section>
        {shown ? (
          <ContactCard key={shown} clientId={shown} timeZone={tz} />
        ) : (
          <section class="card">
            <h2>Contact details</h2>
            <p class="empty">Choose a client to see how to reach them.</p>
          </section>
        )}
      </div>
    </div>
  );
}

function ContactCard(props: { clientId: string; timeZone: string }) {
  const [version, setVersion] = useState(0);
  const state = useLoad(() => api(SessionService).getClient({ client: props.clientId, includeContact: true }), [props.clientId, version]);
  const [editing, setEditing] = useState(false);
  return (
    <section class="card" aria-labelledby="c-contact">
      <h2 id="c-contact">Contact details</h2>
      <LoadState state={state} isEmpty={() => false} empty="">
        {(c) =>
          editing ? (
            <ContactForm
              client={c}
              onDone={() => {
                setEditing(false);
                setVersion((v) => v + 1);
              }}
              onCancel={() => setEditing(false)}
            />
          ) : (
            <>
              <p>
                <strong>{c.code}</strong> <span class="hint mono">{c.clientId}</span>
              </p>
              {c.erased ? (
                <p class="empty" role="status">
                  Personal data erased {c.erased.erasedAt && formatTimestamp(c.erased.erasedAt, props.timeZone)} by{" "}
                  {c.erased.erasedBy}: {c.erased.reason} ({c.erased.legalBasis}). The code and the sessions stay on
                  record; nothing can show who the client was.
                </p>
              ) : c.contact && c.contact.name ? (
                <dl class="facts">
                  <dt>Name</dt>
                  <dd>{c.contact.name}</dd>
                  <dt>Phone</dt>
                  <dd>{c.contact.phone || "—"}</dd>
                  <dt>Email</dt>
                  <dd>{c.contact.email || "—"}</dd>
                  <dt>Address</dt>
                  <dd class="pre">{c.contact.postalAddress || "—"}</dd>
                </dl>
              ) : (
                <p class="empty">No contact details on record.</p>
              )}
              <p class="hint">
                Version {String(c.version)}
                {c.updatedAt && ` · last changed ${formatTimestamp(c.updatedAt, props.timeZone)} by ${c.updatedBy}`}
              </p>
              <div class="actions">
                {!c.erased && (
                  <button type="button" onClick={() => setEditing(true)}>
                    Write new details…
                  </button>
                )}
                <ExportRecordButton clientId={c.clientId} code={c.code} />
              </div>
            </>
          )
        }
      </LoadState>
    </section>
  );
}

/**
 * A subject access request: everything held about the client, saved as a
 * PDF to hand over and as JSON (the protobuf JSON mapping).
 */
function ExportRecordButton(props: { clientId: string; code: string }) {
  const action = useAction();
  const [done, setDone] = useState(false);
  async function run() {
    setDone(false);
    const r = await action.run(() => api(AuditService).exportClientRecord({ client: props.clientId }));
    if (!r || !r.record) return;
    saveBlob(new Blob([r.pdf as Uint8Array<ArrayBuffer>], { type: "application/pdf" }), `client-record-${props.code}.pdf`);
    const json = JSON.stringify(toJson(ClientRecordExportSchema, r.record), null, 2);
    saveBlob(new Blob([json], { type: "application/json" }), `client-record-${props.code}.json`);
    setDone(true);
  }
  return (
    <>
      <button type="button" onClick={() => void run()} disabled={action.busy}>
        Export the client's record (subject access)
      </button>
      {done && <p class="hint" role="status">Saved the record as PDF and JSON; the export is recorded on the client's access log.</p>}
      <ErrorText message={action.error} />
    </>
  );
}

function ContactForm(props: { client: Client; onDone: () => void; onCancel: () => void }) {
  const c = props.client.contact;
  const [name, setName] = useState(c?.name ?? "");
  const [phone, setPhone] = useState(c?.phone ?? "");
  const [email, setEmail] = useState(c?.email ?? "");
  const [address, setAddress] = useState(c?.postalAddress ?? "");
  const action = useAction();

  async function save(e: Event) {
    e.preventDefault();
    const r = await action.run(() =>
      api(SessionService).updateClientContact({
        requestId: requestId(),
        client: props.client.clientId,
        expectedVersion: props.client.version,
        contact: { name: name.trim(), phone: phone.trim(), email: email.trim(), postalAddress: address.trim() },
      }),
    );
    if (r) props.onDone();
  }

  return (
    <form onSubmit={save}>
      <TextField id="cc-name" label="Name" value={name} onInput={setName} />
      <TextField id="cc-phone" label="Phone" type="tel" value={phone} onInput={setPhone} />
      <TextField id="cc-email" label="Email" type="email" value={email} onInput={setEmail} />
      <label for="cc-address">Postal address</label>
      <textarea id="cc-address" value={address} onInput={(e) => setAddress((e.target as HTMLTextAreaElement).value)} />
      <p class="hint">A name, and at least one way to reach them. The old details stay in the journal.</p>
      <ErrorText message={action.error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy}>
          Save
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

export const clientsPage: Page = {
  path: "/clients",
  title: "Clients",
  roles: [Role.MANAGER],
  component: Clients,
};
