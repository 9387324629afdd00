// The text to show a person when a call fails: the server's own message (the
// same one the CLI prints), not a stack trace or a status number.

import { Code, ConnectError } from "@connectrpc/connect";
import { RefusalSchema } from "../../gen/smptrace/v1/common_pb";

export const NO_ANSWER = "The server did not answer. Check the network, then try again.";

/** The message of `err` as the server worded it. */
export function errorText(err: unknown): string {
  if (err instanceof ConnectError) {
    // fetch() rejects with a TypeError when no answer came (network down,
    // server stopped); each browser words it differently.
    if (err.cause instanceof TypeError && (err.code === Code.Unknown || err.code === Code.Unavailable)) {
      return NO_ANSWER;
    }
    return err.rawMessage || Code[err.code];
  }
  if (err instanceof Error) return err.message;
  return String(err);
}

/** True when the call failed because the session is gone (sign in again). */
export function isSignedOut(err: unknown): boolean {
  return err instanceof ConnectError && err.code === Code.Unauthenticated;
}

/**
 * The reason code of a rule refusal ("screening_blocked", "lot_recalled"):
 * the smptrace.v1.Refusal the server attaches to FAILED_PRECONDITION; ""
 * when there is none.
 */
export function reasonCode(err: unknown): string {
  if (!(err instanceof ConnectError)) return "";
  for (const refusal of err.findDetails(RefusalSchema)) {
    if (refusal.reason) return refusal.reason;
  }
  return "";
}
