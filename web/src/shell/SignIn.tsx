// The sign-in screen: the person pastes the token their admin gave them.
// The token goes to the server once (POST /auth/sign-in) and the field is
// cleared whatever the answer; the browser keeps only the HttpOnly cookie.

import { useEffect, useRef, useState } from "preact/hooks";
import { signIn, type SignedIn } from "../api/auth";
import { ErrorText } from "./action";

export function SignInScreen(props: { notice?: string; onSignedIn: (who: SignedIn) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => input.current?.focus(), []);

  async function submit(e: Event) {
    e.preventDefault();
    const field = input.current;
    if (!field) return;
    const token = field.value.trim();
    field.value = "";
    if (!token) {
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
        <p id="signin-help">
          Sign in with your own token: everything you do is recorded under your name.
        </p>
        {props.notice && !error && (
          <p class="notice" role="status">
            {props.notice}
          </p>
        )}
        <label for="token">Your token</label>
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
