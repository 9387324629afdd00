// A bearer token shown the one time it exists in readable form: selectable,
// with a copy button, and gone from the page once dismissed (the server
// keeps only its hash).

import { useRef, useState } from "preact/hooks";

export function TokenOnce(props: { token: string; who: string; onDone: () => void }) {
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState("");

  async function copy() {
    try {
      await navigator.clipboard.writeText(props.token);
      setCopied("Copied to the clipboard.");
    } catch {
      // No clipboard (not a secure context, or refused): select it instead.
      field.current?.select();
      setCopied("Selected: press Ctrl+C (⌘C) to copy.");
    }
  }

  return (
    <div class="token-once" role="alert">
      <h3>The token for {props.who}: shown this once</h3>
      <p>Copy it now and give it to {props.who} privately. It cannot be shown again; if it is lost, rotate it.</p>
      <label for="token-value">Token</label>
      <div class="row">
        <input id="token-value" ref={field} class="mono" readOnly value={props.token} onFocus={(e) => (e.target as HTMLInputElement).select()} />
        <div>
          <button type="button" class="primary" onClick={() => void copy()}>
            Copy
          </button>
        </div>
      </div>
      <p class="hint" aria-live="polite">
        {copied}
      </p>
      <button type="button" onClick={props.onDone}>
        I have copied it: hide the token
      </button>
    </div>
  );
}
