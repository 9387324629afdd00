// Step 1: whose procedure. Find the client by the clinic's code, or register
// a new one; or go back to one of your sessions still open.

import { Code, ConnectError } from "@connectrpc/connect";
import { useEffect, useState } from "preact/hooks";
import { SessionService, SessionStatus, type Client, type SessionLine } from "../../../gen/smptrace/v1/session_pb";
import { api, requestId } from "../../api/client";
import { ErrorText, useAction } from "../../shell/action";
import { formatTimestamp } from "../../lib/time";

export function ClientStep(props: {
  timeZone: string;
  onClient: (client: Client) => void;
  onResume: (sessionId: string) => void;
}) {
  const [code, setCode] = useState("");
  const [notFound, setNotFound] = useState("");
  const action = useAction();
  const [open, setOpen] = useState<SessionLine[]>([]);

  useEffect(() => {
    api(SessionService)
      .listSessions({ status: SessionStatus.OPEN })
      .then((r) => setOpen(r.sessions))
      .catch(() => setOpen([]));
  }, []);

  async function find(e: Event) {
    e.preventDefault();
    const wanted = code.trim();
    setNotFound("");
    if (!wanted) {
      action.setError("Type or scan the client's code.");
      return;
    }
    const client = await action.run(
      () => api(SessionService).getClient({ client: wanted }),
      (err) => {
        const unknown = err instanceof ConnectError && err.code === Code.NotFound;
        if (unknown) setNotFound(wanted);
        return unknown;
      },
    );
    if (client) props.onClient(client);
  }

  return (
    <div class="columns">
      <section class="card" aria-labelledby="client-h">
        <h2 id="client-h">Client</h2>
        <form onSubmit={find}>
          <label for="client-code">Client code</label>
          <div class="row">
            <input
              id="client-code"
              value={code}
              autoFocus
              autocomplete="off"
              onInput={(e) => setCode(e.currentTarget.value)}
            />
            <button type="submit" class="primary" disabled={action.busy}>
              Find client
            </button>
          </div>
        </form>
        <ErrorText message={action.error} />
        {notFound && <NewClient code={notFound} onCreated={props.onClient} />}
      </section>
      <section class="card" aria-labelledby="open-h">
        <h2 id="open-h">Sessions still open</h2>
        {open.length === 0 ? (
          <p class="hint">None: every session is closed.</p>
        ) : (
          <ul class="plain">
            {open.map((s) => (
              <li key={s.sessionId} class="actions">
                <button type="button" onClick={() => props.onResume(s.sessionId)}>
                  Resume {s.sessionId} · {s.clientCode}
                </button>
                <span class="hint">
                  {s.practitioner} · started {formatTimestamp(s.startedAt, props.timeZone)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function NewClient(props: { code: string; onCreated: (client: Client) => void }) {
  const [name, setName] = useState("");
  const [phone, setPhone] = useState("");
  const [email, setEmail] = useState("");
  const action = useAction();

  async function create(e: Event) {
    e.preventDefault();
    const client = await action.run(() =>
      api(SessionService).createClient({
        requestId: requestId(),
        code: props.code,
        contact: { name: name.trim(), phone: phone.trim(), email: email.trim() },
      }),
    );
    if (client) props.onCreated(client);
  }

  return (
    <form onSubmit={create} aria-labelledby="new-client-h">
      <h3 id="new-client-h">No client with code {props.code}: register them</h3>
      <p class="hint">
        The name and contact details are kept apart from the record, only for recall notices.
        Give a phone number or an email address.
      </p>
      <label for="nc-name">Name</label>
      <input id="nc-name" value={name} autocomplete="off" onInput={(e) => setName(e.currentTarget.value)} />
      <div class="row">
        <div>
          <label for="nc-phone">Phone</label>
          <input id="nc-phone" type="tel" value={phone} autocomplete="off" onInput={(e) => setPhone(e.currentTarget.value)} />
        </div>
        <div>
          <label for="nc-email">Email</label>
          <input id="nc-email" type="email" value={email} autocomplete="off" onInput={(e) => setEmail(e.currentTarget.value)} />
        </div>
      </div>
      <ErrorText message={action.error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy}>
          Register client {props.code}
        </button>
      </div>
    </form>
  );
}
