// The error text a person sees comes from the server's Connect error, as
// the real transport decodes it: the tests answer the app's own client
// (src/api/client.ts) with a stubbed fetch.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { RefusalSchema } from "../gen/smptrace/v1/common_pb";
import { SessionService } from "../gen/smptrace/v1/session_pb";
import { onSignedOut } from "../src/api/activity";
import { api } from "../src/api/client";
import { errorText, isSignedOut, reasonCode } from "../src/api/errors";

const realFetch = globalThis.fetch;
afterEach(() => {
  globalThis.fetch = realFetch;
});

const seen: { url: string; headers: Headers }[] = [];
function answer(status: number, body: unknown) {
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    seen.push({ url: String(input), headers: new Headers(init?.headers) });
    return new Response(JSON.stringify(body), {
      status,
      headers: { "Content-Type": "application/json" },
    });
  };
}

const BLOCKED =
  "screening BLOCKED: finasteride still taken; must be stopped at least 30 days before. Proceed only with a manager's approval";

test("a refusal shows the server's message and its reason code", async () => {
  const refusal = toBinary(RefusalSchema, create(RefusalSchema, { reason: "screening_blocked", message: BLOCKED }));
  answer(412, {
    code: "failed_precondition",
    message: BLOCKED,
    details: [{ type: "smptrace.v1.Refusal", value: Buffer.from(refusal).toString("base64").replace(/=+$/, "") }],
  });
  const err = await api(SessionService)
    .startSession({ client: "HX-104" })
    .then(() => assert.fail("expected a refusal"), (e: unknown) => e);
  assert.equal(errorText(err), BLOCKED);
  assert.equal(reasonCode(err), "screening_blocked");
  assert.equal(isSignedOut(err), false);
  const last = seen[seen.length - 1];
  assert.equal(last.url, "http://localhost/smptrace.v1.SessionService/StartSession");
  assert.equal(last.headers.get("Connect-Protocol-Version"), "1");
});

test("an error without a Refusal has no reason code, and its text is the message", async () => {
  const message = "answers: no screening answer given: ask the client every screening question";
  answer(400, { code: "invalid_argument", message });
  const err = await api(SessionService).startSession({}).catch((e: unknown) => e);
  assert.equal(errorText(err), message);
  assert.equal(reasonCode(err), "");
});

test("UNAUTHENTICATED signs the app out, with the server's words", async () => {
  const notices: string[] = [];
  const off = onSignedOut((m) => notices.push(m));
  answer(401, { code: "unauthenticated", message: "session expired" });
  const err = await api(SessionService).getSession({ sessionId: "SES-000001" }).catch((e: unknown) => e);
  off();
  assert.equal(isSignedOut(err), true);
  assert.deepEqual(notices, ["session expired"]);
});

test("a manager's token refused on their one call does not sign the practitioner out", async () => {
  const notices: string[] = [];
  const off = onSignedOut((m) => notices.push(m));
  answer(401, { code: "unauthenticated", message: "invalid token" });
  const err = await api(SessionService)
    .approveScreeningOverride({ client: "HX-104", reason: "letter" }, { headers: { Authorization: "Bearer nope" } })
    .catch((e: unknown) => e);
  off();
  assert.equal(errorText(err), "invalid token");
  assert.deepEqual(notices, []);
  assert.equal(seen[seen.length - 1].headers.get("Authorization"), "Bearer nope");
});

test("a server that does not answer says so in words", async () => {
  globalThis.fetch = async () => {
    throw new TypeError("fetch failed");
  };
  const err = await api(SessionService).getSession({ sessionId: "SES-000001" }).catch((e: unknown) => e);
  assert.equal(errorText(err), "The server did not answer. Check the network, then try again.");
});

test("errors that are not Connect errors keep their message", () => {
  assert.equal(errorText(new Error("boom")), "boom");
  assert.equal(errorText(new ConnectError("", Code.NotFound)), "NotFound");
});
