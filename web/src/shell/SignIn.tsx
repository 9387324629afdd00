// The sign-in screen: the person pastes the token their admin gave them.
// The token goes to the server once (POST /auth/sign-in) and the field is
// cleared whatever the answer; the browser keeps only the HttpOnly cookie.

import { useEffect, useRef, useState } from "preact/hooks";
import { roleLabel, signIn, signInOptions, type SignedIn, type SignInOptions } from "../api/auth";
import { ErrorText } from "./action";

export function SignInScreen(props: { notice?: string; onSignedIn: (who: SignedIn) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const [options, setOptions] = useState<SignInOptions>({ clinicName: "" });
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    void signInOptions().then(setOptions);
  }, []);
  const dev = options.devPrincipal;

  async function submit(e: Event) {
    e.preventDefault();
    const field = input.current;
    if (!field) return;
    const token = field.value.trim();
    field.value = "";
    // Under --insecure_dev an empty token is the development principal,
    // as a gRPC call without a token is.
    if (!token && !dev) {
      setError("Paste your token (your admin gave it to you as a file), then press Sign in.");
      field.focus();
      return;
    }
    setBusy(true);
    setError("");
    try {
      props.onSignedIn(await signIn(token));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      field.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="signin" id="main">
      <form class="card signin-card" onSubmit={submit} aria-describedby="signin-help">
        <h1>smptrace</h1>
        {options.clinicName && <p class="clinic">{options.clinicName}</p>}
        <p id="signin-help">
          Sign in with your own token: everything you do is recorded under your name.
        </p>
        {props.notice && !error && (
          <p class="notice" role="status">
            {props.notice}
          </p>
        )}
        {dev && (
          <p class="notice" id="signin-dev">
            This server runs with <span class="mono">--insecure_dev</span>: no TLS and no authentication, for
            development only. Leave the token empty to sign in as <strong>{dev}</strong> (
            {roleLabel(options.devRole ?? 0)}), the principal every call without a token acts as; a person's token
            signs in as that person.
          </p>
        )}
        <label for="token">{dev ? "Your token (or empty)" : "Your token"}</label>
        <input
          id="token"
          ref={input}
          type="password"
          autocomplete="off"
          spellcheck={false}
          autoFocus
          aria-invalid={error ? "true" : undefined}
          aria-describedby={error ? "signin-error" : undefined}
        />
        <ErrorText id="signin-error" message={error} />
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
