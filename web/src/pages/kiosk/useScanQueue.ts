// Sends scans one at a time, in the order they were read, and turns each
// answer into a ScanOutcome with its sound. A scanner can read faster than
// the server answers; nothing is dropped or reordered.

import { useRef, useState } from "preact/hooks";
import { errorText, reasonCode } from "../../api/errors";
import { beep } from "../../lib/sound";
import type { ScanOutcome } from "./ScanResult";

export type ScanAnswer = Omit<ScanOutcome, "serial" | "barcode" | "ok"> & {
  /**
   * Runs once the ✔ is on screen (after the frame that shows it): updating
   * the rest of the page (the list of what was opened) does not delay the
   * answer the practitioner waits for.
   */
  after?: () => void;
};

export function useScanQueue(send: (barcode: string) => Promise<ScanAnswer>) {
  const [outcome, setOutcome] = useState<ScanOutcome | undefined>(undefined);
  const [pending, setPending] = useState(0);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const counter = useRef(0);
  const sendRef = useRef(send);
  sendRef.current = send;

  function scan(barcode: string) {
    setPending((n) => n + 1);
    chain.current = chain.current.then(async () => {
      let next: ScanOutcome;
      let after: (() => void) | undefined;
      try {
        const { after: then, ...answer } = await sendRef.current(barcode);
        after = then;
        next = { ...answer, ok: true, barcode, serial: ++counter.current };
      } catch (err) {
        const code = reasonCode(err);
        next = {
          ok: false,
          title: code ? `Refused: ${code.replace(/_/g, " ")}` : "Refused",
          reason: errorText(err),
          details: [],
          barcode,
          serial: ++counter.current,
        };
      }
      beep(next.ok);
      setOutcome(next);
      setPending((n) => n - 1);
      if (after) afterNextPaint(after);
    });
  }

  return { outcome, pending: pending > 0, scan, clear: () => setOutcome(undefined) };
}

/** Runs `f` after the next frame is painted (a frame, then a task). */
function afterNextPaint(f: () => void) {
  if (typeof requestAnimationFrame !== "function") {
    setTimeout(f, 0);
    return;
  }
  requestAnimationFrame(() => setTimeout(f, 0));
}
