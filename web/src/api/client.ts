// Typed clients of smptraced's services over the Connect protocol (binary
// protobuf, application/proto), same origin, with the session cookie. Each answered call counts as
// activity (the idle timer); an UNAUTHENTICATED answer signs the app out.

import { Code, ConnectError, createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import type { DescService } from "@bufbuild/protobuf";
import { noteServerContact, noteSignedOut } from "./activity";

const tracking: Interceptor = (next) => async (req) => {
  try {
    const res = await next(req);
    noteServerContact();
    return res;
  } catch (err) {
    if (err instanceof ConnectError && err.code !== Code.Unavailable) noteServerContact();
    // A manager's own credentials on one call (an approval) failing does not
    // sign the practitioner out.
    if (
      err instanceof ConnectError &&
      err.code === Code.Unauthenticated &&
      !req.header.has("Authorization")
    ) {
      noteSignedOut(err.rawMessage);
    }
    throw err;
  }
};

const transport = createConnectTransport({
  baseUrl: typeof location === "undefined" ? "http://localhost" : location.origin,
  // Binary: an answer that carries a whole session (every ScanConsumable
  // does) is half the size of its JSON and decodes 2-3 times faster, which
  // is most of the kiosk's Enter → ✔ once a session has many uses
  // (docs/BENCHMARKS.md). Errors still come back as Connect's error JSON.
  useBinaryFormat: true,
  interceptors: [tracking],
  fetch: (input, init) => fetch(input, { ...init, credentials: "same-origin" }),
});

const clients = new Map<string, unknown>();

/** The client of `service` (one per service, shared). */
export function api<T extends DescService>(service: T): Client<T> {
  let c = clients.get(service.typeName) as Client<T> | undefined;
  if (!c) {
    c = createClient(service, transport);
    clients.set(service.typeName, c);
  }
  return c;
}

/** A new request id (the server applies a retried request once). */
export function requestId(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // randomUUID exists only in secure contexts (https, localhost).
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
