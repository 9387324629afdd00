// The browser's sign-in: a person's token is exchanged once for an HttpOnly
// session cookie (POST /auth/sign-in); the token itself is never kept by the
// app. /auth/me tells who the cookie belongs to; /auth/sign-out ends it on
// the server.

import { Role } from "../../gen/smptrace/v1/admin_pb";
import { noteServerContact } from "./activity";
import { NO_ANSWER } from "./errors";

/** Who is signed in, as /auth/sign-in and /auth/me answer. */
export interface SignedIn {
  principal: string;
  role: Role;
  clinicName: string;
  /** IANA time zone of the clinic: every date and time is shown in it. */
  clinicTimeZone: string;
  /** The server ends a session after this long without a request. */
  idleTimeoutSeconds: number;
}

/**
 * The role's name as the server sends it ("MANAGER", or the proto name
 * "ROLE_MANAGER") → the proto enum; UNSPECIFIED for anything else.
 */
export function parseRole(name: string): Role {
  const values = Role as unknown as Record<string, number | undefined>;
  const value = values[name.replace(/^ROLE_/, "")];
  return typeof value === "number" && value !== Role.UNSPECIFIED ? (value as Role) : Role.UNSPECIFIED;
}

/** "MANAGER" → "manager", for people. */
export function roleLabel(role: Role): string {
  return (Role[role] ?? "UNSPECIFIED").toLowerCase();
}

function parseSignedIn(json: unknown): SignedIn {
  const o = (json ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  const timeout = Number(o.idleTimeoutSeconds);
  return {
    principal: text(o.principal),
    role: parseRole(text(o.role)),
    clinicName: text(o.clinicName),
    clinicTimeZone: text(o.clinicTimeZone) || "UTC",
    idleTimeoutSeconds: Number.isFinite(timeout) && timeout > 0 ? timeout : 900,
  };
}

/** Thrown with the server's own wording when a sign-in call is refused. */
export class AuthError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

async function errorMessage(res: Response): Promise<string> {
  const body = await res.text();
  try {
    const json = JSON.parse(body) as { message?: unknown };
    if (typeof json.message === "string" && json.message) return json.message;
  } catch {
    // Not JSON: the text itself, if any.
  }
  return body.trim() || `${res.status} ${res.statusText}`;
}

async function authFetch(path: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, {
      ...init,
      credentials: "same-origin",
      headers: { "Connect-Protocol-Version": "1", ...(init.headers ?? {}) },
    });
  } catch {
    throw new AuthError(NO_ANSWER, 0);
  }
  if (!res.ok) throw new AuthError(await errorMessage(res), res.status);
  noteServerContact();
  return res;
}

/** Exchanges `token` for a session cookie. The caller clears its input. */
export async function signIn(token: string): Promise<SignedIn> {
  const res = await authFetch("/auth/sign-in", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token }),
  });
  return parseSignedIn(await res.json());
}

/** Who the session cookie belongs to; undefined when not signed in (401). */
export async function whoAmI(): Promise<SignedIn | undefined> {
  try {
    const res = await authFetch("/auth/me", { method: "GET" });
    return parseSignedIn(await res.json());
  } catch (err) {
    if (err instanceof AuthError && err.status === 401) return undefined;
    throw err;
  }
}

/** What the sign-in screen shows before anyone signs in (GET /auth/sign-in). */
export interface SignInOptions {
  clinicName: string;
  /**
   * Set when smptraced runs with --insecure_dev (no authentication): an
   * empty token signs in as this development principal, with devRole.
   */
  devPrincipal?: string;
  devRole?: Role;
}

export function parseSignInOptions(json: unknown): SignInOptions {
  const o = (json ?? {}) as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  const options: SignInOptions = { clinicName: text(o.clinicName) };
  if (o.insecureDev === true && text(o.devPrincipal)) {
    options.devPrincipal = text(o.devPrincipal);
    options.devRole = parseRole(text(o.devRole));
  }
  return options;
}

/** The sign-in screen's options; none when the server does not answer. */
export async function signInOptions(): Promise<SignInOptions> {
  try {
    const res = await authFetch("/auth/sign-in", { method: "GET" });
    return parseSignInOptions(await res.json());
  } catch {
    return { clinicName: "" };
  }
}

/** Ends the session on the server (best effort: the cookie may be gone). */
export async function signOut(): Promise<void> {
  try {
    await authFetch("/auth/sign-out", { method: "POST" });
  } catch {
    // Already signed out, or the server is away: either way we are out.
  }
}
