// One way for a screen to call the server on a person's action: `busy`
// while it runs (to disable the button), the server's message in `error`
// when it fails, shown by <ErrorText>.

import { useState } from "preact/hooks";
import { errorText } from "../api/errors";

export interface Action {
  busy: boolean;
  error: string;
  setError: (message: string) => void;
  /**
   * Runs `call` (clearing the last error); on failure shows its message and
   * returns undefined. `onError` may take a failure over (return true).
   */
  run<T>(call: () => Promise<T>, onError?: (err: unknown) => boolean): Promise<T | undefined>;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  async function run<T>(call: () => Promise<T>, onError?: (err: unknown) => boolean) {
    setBusy(true);
    setError("");
    try {
      return await call();
    } catch (err) {
      if (!onError?.(err)) setError(errorText(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, setError, run };
}

/** The error under a form, read out when it appears; nothing when empty. */
export function ErrorText(props: { message: string; id?: string }) {
  if (!props.message) return null;
  return (
    <p class="error" role="alert" id={props.id}>
      {props.message}
    </p>
  );
}
