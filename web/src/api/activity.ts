// When the server last heard from this browser. The server's idle timeout
// counts from the last request, so the idle warning counts from here.

let lastContact = Date.now();
const listeners = new Set<() => void>();

/** Called on every answered request. */
export function noteServerContact(now: number = Date.now()): void {
  lastContact = now;
  for (const l of listeners) l();
}

export function lastServerContact(): number {
  return lastContact;
}

/** Calls `listener` when a request is answered; returns the unsubscribe. */
export function onServerContact(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// Signed-out notifications: any call answered UNAUTHENTICATED ends the
// session in the app too (the shell goes back to the sign-in screen).
const signedOutListeners = new Set<(message: string) => void>();

export function onSignedOut(listener: (message: string) => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

export function noteSignedOut(message: string): void {
  for (const l of signedOutListeners) l(message);
}
