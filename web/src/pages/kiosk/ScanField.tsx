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

  // Keep the focus here: after a tap or click anywhere but in another
  // text field (a tapped button gives the focus back, so the next scan does
  // not land on it), when the window comes back, and when a dialog closes.
  // Keyboard users keep their Tab navigation: a Tab in the empty field moves
  // on as usual (a scanner's Tab always follows a barcode).
  useEffect(() => {
    const refocus = () => {
      setTimeout(() => {
        const field = input.current;
        if (!field || props.disabled || document.querySelector("dialog[open]")) return;
        const active = document.activeElement;
        const typing = active && active !== field && active.matches("input, select, textarea");
        if (!typing) field.focus();
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
          } else if (e.key === "Tab" && !e.shiftKey && e.currentTarget.value !== "") {
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
