// The public certificate check at /verify (no sign-in): a client's phone
// opens it from the QR code of their materials-used certificate, with the
// proof in the address's #fragment (never sent to the server). Everything is
// checked here, in the browser (lib/certificate.ts), against the clinic's
// verifier key: fetched once from this server (GetLogCheckpoint, public) and
// kept, so the page checks offline once loaded; an inspector can give the
// key they hold instead.

import { useEffect, useState } from "preact/hooks";
import { AuditService } from "../../../gen/smptrace/v1/audit_pb";
import { api } from "../../api/client";
import {
  CertificateError,
  parseVerifierKey,
  sheetOf,
  verifyCertificate,
  type CertificateSheet,
} from "../../lib/certificate";

const KEY_STORE = "smptrace.verifierKey";

type Result = { ok: true; sheet: CertificateSheet; detail: string } | { ok: false; reason: string };

async function clinicKey(): Promise<string> {
  try {
    const cp = await api(AuditService).getLogCheckpoint({});
    if (cp.verifierKey) {
      localStorage.setItem(KEY_STORE, cp.verifierKey);
      return cp.verifierKey;
    }
  } catch {
    // Offline: the key kept from the last visit.
  }
  return localStorage.getItem(KEY_STORE) ?? "";
}

async function check(text: string, key: string): Promise<Result> {
  try {
    const verified = await verifyCertificate(text, await parseVerifierKey(key));
    return {
      ok: true,
      sheet: sheetOf(verified.seq, verified.event),
      detail: `Entry ${verified.seq} is in the clinic's log ${verified.origin} of ${verified.treeSize} entries, signed with its key.`,
    };
  } catch (e) {
    return { ok: false, reason: e instanceof CertificateError ? e.message : String(e) };
  }
}

export function VerifyPage() {
  const [key, setKey] = useState("");
  const [text, setText] = useState(typeof location === "undefined" ? "" : location.hash.slice(1));
  const [result, setResult] = useState<Result | undefined>(undefined);

  useEffect(() => {
    document.title = "Check a certificate · smptrace";
    void clinicKey().then(async (k) => {
      setKey(k);
      if (text && k) setResult(await check(text, k));
    });
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    setResult(await check(text, key));
  }

  return (
    <main id="main" class="verify">
      <section class="card" aria-labelledby="v-title">
        <h1 id="v-title">Check a materials-used certificate</h1>
        <p>
          This page checks, on this device, that the certificate is the record in the clinic's signed log, and shows
          what it says. Nothing about the certificate is sent anywhere.
        </p>
        {result?.ok === true && (
          <div class="verdict ok" role="status">
            <strong>Certificate verified.</strong> {result.detail}
          </div>
        )}
        {result?.ok === false && (
          <div class="verdict bad" role="alert">
            <strong>This certificate does not verify.</strong> {result.reason}
          </div>
        )}
        {result?.ok === true && (
          <>
            <dl class="facts">
              {result.sheet.facts.map(([label, value]) => (
                <>
                  <dt>{label}</dt>
                  <dd>{value}</dd>
                </>
              ))}
            </dl>
            <table>
              <caption>Materials used</caption>
              <thead>
                <tr>
                  {["Product", "GTIN", "Lot", "Expires", "Sterilisation", "Qty"].map((h) => (
                    <th scope="col">{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {result.sheet.materials.map((row) => (
                  <tr>
                    {row.map((cell) => (
                      <td>{cell}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
      <section class="card" aria-labelledby="v-other">
        <h2 id="v-other">Check another certificate</h2>
        <form onSubmit={(e) => void submit(e)}>
          <label for="v-text">The QR code's text (the address it opens)</label>
          <textarea id="v-text" rows={4} value={text} onInput={(e) => setText(e.currentTarget.value)} />
          <label for="v-key">The clinic's verifier key (smptrace log key)</label>
          <input id="v-key" value={key} onInput={(e) => setKey(e.currentTarget.value)} />
          <button type="submit" class="primary">
            Check
          </button>
        </form>
      </section>
    </main>
  );
}
