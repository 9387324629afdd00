// A date field that reads and shows dates the same way in every browser:
// year first (yyyy-mm-dd), as the CLI, the PDFs and every table here write
// them. <input type="date"> shows the browser's language instead (11/30/2026
// in an American browser, 30/11/2026 in a British one), so a date read off
// a box or a letter is easy to type the wrong way round.
//
// The value is "yyyy-mm-dd" or "" (empty). While the text is not a date the
// field says why under it and is invalid for its form (the browser does not
// submit it), and onChange is not called.

import { useEffect, useRef, useState } from "preact/hooks";
import { DATE_FORMAT_HINT, formatDate, parseDateText } from "../lib/time";

export function DateInput(props: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  disabled?: boolean;
  /** More ids describing the field (its question, its rule). */
  describedBy?: string;
}) {
  const [text, setText] = useState(props.value);
  const [error, setError] = useState("");
  const input = useRef<HTMLInputElement>(null);

  // A value set from outside (a preset, a reset) replaces the text.
  useEffect(() => {
    const parsed = parseDateText(text);
    if (!parsed.error && formatDate(parsed.date) !== props.value) {
      setText(props.value);
      setError("");
      input.current?.setCustomValidity("");
    }
  }, [props.value]);

  function onInput(value: string) {
    setText(value);
    const parsed = parseDateText(value);
    // The form will not submit while the text is not a date (the browser
    // shows this message); under the field it shows once the field is left.
    input.current?.setCustomValidity(parsed.error ?? "");
    setError("");
    if (!parsed.error) props.onChange(formatDate(parsed.date));
  }

  function onBlur() {
    setError(parseDateText(text).error ?? "");
  }

  const hintId = `${props.id}-format`;
  const errorId = `${props.id}-error`;
  return (
    <>
      <input
        id={props.id}
        ref={input}
        type="text"
        class="date"
        inputMode="numeric"
        autocomplete="off"
        spellcheck={false}
        placeholder="yyyy-mm-dd"
        maxLength={10}
        value={text}
        disabled={props.disabled}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={[error ? errorId : hintId, props.describedBy].filter(Boolean).join(" ")}
        onInput={(e) => onInput(e.currentTarget.value)}
        onBlur={onBlur}
      />
      {error ? (
        <span id={errorId} class="error date-error" role="alert">
          {error}
        </span>
      ) : (
        <span id={hintId} class="hint date-hint">
          {DATE_FORMAT_HINT}
        </span>
      )}
    </>
  );
}
