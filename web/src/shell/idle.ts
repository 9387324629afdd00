// The idle timer's decisions, as a pure function of the clock so that it is
// tested without waiting. The server ends a session after
// idleTimeoutSeconds without a request; the app warns before that, keeps a
// working person signed in (their key presses and taps ping the server),
// and leaves the screen when the time is up.

export type IdleAction =
  /** Nothing to do. */
  | "none"
  /** The person is active but the server has not heard from us: ping it. */
  | "touch"
  /** Show the warning with `remainingSeconds`. */
  | "warn"
  /** The session has ended: back to sign-in. */
  | "expired";

export interface IdleDecision {
  action: IdleAction;
  remainingSeconds: number;
}

/** How long before the end the warning shows (a minute, or a third of a short timeout). */
export function warningSeconds(timeoutSeconds: number): number {
  return Math.max(5, Math.min(60, Math.floor(timeoutSeconds / 3)));
}

/**
 * What to do at `now` (ms) given the last answered request and the last key
 * press or tap (ms), for a server timeout of `timeoutSeconds`.
 */
export function idleDecision(
  now: number,
  lastContact: number,
  lastActivity: number,
  timeoutSeconds: number,
): IdleDecision {
  const remainingSeconds = Math.ceil(timeoutSeconds - (now - lastContact) / 1000);
  if (remainingSeconds <= 0) return { action: "expired", remainingSeconds: 0 };
  const warnAt = warningSeconds(timeoutSeconds);
  // Activity since the last request, and a while since it: keep the session.
  const touchAfterMs = Math.min(60, timeoutSeconds / 4) * 1000;
  if (lastActivity > lastContact && now - lastContact >= touchAfterMs) {
    return { action: "touch", remainingSeconds };
  }
  if (remainingSeconds <= warnAt) return { action: "warn", remainingSeconds };
  return { action: "none", remainingSeconds };
}
