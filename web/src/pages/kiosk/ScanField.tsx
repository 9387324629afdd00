// The scanner field: a keyboard-wedge scanner types into it. It keeps the
// focus (a tap elsewhere on the screen brings it back, unless a dialog or
// another field took it), turns what is typed into scans (CR, LF, CR+LF or
// Tab end one; blank lines are ignored) and drops a double read of the same
// label within a second (unless keepRepeats: a delivery of identical boxes).

import { useEffect, useMemo, useRef } from "preact/hooks";
import { DoubleReadFilter, ScanLineSplitter } from "../../lib/scanner";

export function ScanField(props: {
  label: string;
  hint: string;
  onScan: (barcode: string) => void;
  /** A new filter per session: a double read is within one session. */
  scope: string;
  disabled?: boolean;
  /**
   * Every read is a scan, the same label again too (receiving: ten boxes
   * with one label are ten items). Default: a double read is dropped.
   */
  keepRepeats?: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  const splitter = useMemo(() => new ScanLineSplitter(), [props.scope]);
  const doubles = useMemo(() => new DoubleReadFilter(), [props.scope]);

  // Keep the focus here: after any click that did not land on another
  // control, and when the window comes back.
  useEffect(() => {
    const refocus = () => {
      setTimeout(() => {
        const active = document.activeElement;
        const busy =
          document.querySelector("dialog[open]") ||
          (active && active !== document.body && active !== input.current &&
            active.matches("input, select, textarea, button, a"));
        if (!busy && !props.disabled) input.current?.focus();
      }, 0);
    };
    refocus();
    addEventListener("pointerup", refocus);
    addEventListener("focus", refocus);
    return () => {
      removeEventListener("pointerup", refocus);
      removeEventListener("focus", refocus);
    };
  }, [props.disabled]);

  function feed(text: string) {
    const field = input.current;
    if (!field) return;
    splitter.discardPending();
    const lines = splitter.push(field.value + text);
    field.value = splitter.rest;
    const now = performance.now();
    for (const line of lines) if (props.keepRepeats || doubles.accept(line, now)) props.onScan(line);
  }

  return (
    <div>
      <label for="scan">{props.label}</label>
      <input
        id="scan"
        ref={input}
        class="scan-field"
        autocomplete="off"
        autocapitalize="off"
        spellcheck={false}
        disabled={props.disabled}
        aria-describedby="scan-hint"
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            feed("\r");
          } else if (e.key === "Tab" && !e.shiftKey) {
            e.preventDefault();
            feed("\t");
          } else if (e.key === "j" && e.ctrlKey) {
            // A scanner set to end with LF may type it as Ctrl+J.
            e.preventDefault();
            feed("\n");
          }
        }}
        onPaste={(e) => {
          const text = e.clipboardData?.getData("text") ?? "";
          if (/[\r\n\t]/.test(text)) {
            e.preventDefault();
            feed(text);
          }
        }}
      />
      <p id="scan-hint" class="hint">
        {props.hint}
      </p>
    </div>
  );
}
