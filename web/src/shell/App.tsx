// The app: who is signed in decides what shows. Signed out: the sign-in
// screen. Signed in: the header (clinic, person, role, sign-out), the
// navigation of the pages the role may use, and the page at the address.

import { useEffect, useState } from "preact/hooks";
import { Role } from "../../gen/smptrace/v1/admin_pb";
import { onSignedOut } from "../api/activity";
import { roleLabel, signOut, whoAmI, type SignedIn } from "../api/auth";
import { errorText } from "../api/errors";
import { pageAt, pagesFor } from "../pages/registry";
import { IdleWatch } from "./IdleWarning";
import { formatDuration } from "../lib/time";
import { navigate, usePath } from "./router";
import { SignInScreen } from "./SignIn";
import { VerifyPage } from "../pages/verify/VerifyPage";

type State =
  | { kind: "loading" }
  | { kind: "signed-out"; notice?: string }
  | { kind: "signed-in"; who: SignedIn };

export function App() {
  // The public certificate check needs no sign-in.
  if (location.pathname === "/verify") return <VerifyPage />;
  return <SignedInApp />;
}

function SignedInApp() {
  const [state, setState] = useState<State>({ kind: "loading" });

  useEffect(() => {
    whoAmI()
      .then((who) => setState(who ? { kind: "signed-in", who } : { kind: "signed-out" }))
      .catch((err) => setState({ kind: "signed-out", notice: errorText(err) }));
    return onSignedOut((message) =>
      setState({ kind: "signed-out", notice: `You were signed out: ${message}. Sign in again.` }),
    );
  }, []);

  switch (state.kind) {
    case "loading":
      return (
        <main class="signin" id="main">
          <p role="status">Loading…</p>
        </main>
      );
    case "signed-out":
      return (
        <SignInScreen notice={state.notice} onSignedIn={(who) => setState({ kind: "signed-in", who })} />
      );
    case "signed-in":
      return (
        <Shell
          who={state.who}
          onSignedOut={(notice) => {
            void signOut();
            setState({ kind: "signed-out", notice });
          }}
        />
      );
  }
}

function Shell(props: { who: SignedIn; onSignedOut: (notice?: string) => void }) {
  const { who } = props;
  const path = usePath();
  const mine = pagesFor(who.role);
  const page = pageAt(path, who.role);

  // The role's first page is its home.
  useEffect(() => {
    if (path === "/" && mine.length > 0) navigate(mine[0].path);
  }, [path, who.role]);

  useEffect(() => {
    document.title = page ? `${page.title} · smptrace` : "smptrace";
  }, [page]);

  const idle = formatDuration(who.idleTimeoutSeconds);
  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <div class="brand">
          <span class="product">smptrace</span>
          {who.clinicName && <span class="clinic">{who.clinicName}</span>}
        </div>
        <nav aria-label="Pages">
          <ul>
            {mine.map((p) => (
              <li key={p.path}>
                <a
                  href={p.path}
                  aria-current={p === page ? "page" : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(p.path);
                  }}
                >
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>
            <span class="principal">{who.principal || "not signed in"}</span>
            <span class="role">{roleLabel(who.role)}</span>
          </span>
          <button type="button" onClick={() => props.onSignedOut("You signed out.")}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {page ? (
          <page.component who={who} />
        ) : mine.length === 0 ? (
          <section class="card">
            <h1>Signed in as {who.principal}</h1>
            {who.role === Role.UNSPECIFIED ? (
              <p>Your sign-in has no role this app knows. Ask your admin.</p>
            ) : (
              <p>
                The web pages for the {roleLabel(who.role)} role are not in the app yet.
                Everything is available from the command line: see the {roleLabel(who.role)}'s
                guide in docs/.
              </p>
            )}
          </section>
        ) : path === "/" ? null : (
          <section class="card">
            <h1>Not a page for your role</h1>
            <p>
              {path} is not one of the pages a {roleLabel(who.role)} uses. Choose one above.
            </p>
          </section>
        )}
      </main>
      <footer class="footer">
        Times in {who.clinicTimeZone} · signed out after {idle} without activity
      </footer>
      <IdleWatch
        timeoutSeconds={who.idleTimeoutSeconds}
        onExpired={() =>
          props.onSignedOut(`You were signed out after ${idle} without activity.`)
        }
      />
    </div>
  );
}
