// What the manager's, auditor's and admin's pages share: loading a call's
// answer with its states (loading, the server's refusal, empty), tables,
// labelled fields, and naming enum values for people. Actions (a button's
// call) use the shell's useAction / ErrorText.

import type { ComponentChildren } from "preact";
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { saveBlob } from "../../api/download";
import { errorText } from "../../api/errors";
import { ErrorText } from "../../shell/action";
import { navigate } from "../../shell/router";

/** "QUARANTINED" (an enum's value name) → "quarantined". */
export function enumLabel(e: object, value: number): string {
  const name = (e as Record<number, string | undefined>)[value];
  return (name ?? "unknown").toLowerCase().replace(/_/g, " ");
}

export interface Loaded<T> {
  data?: T;
  error: string;
  loading: boolean;
  reload: () => void;
}

/** Calls `load` now and whenever `deps` change; `reload` calls it again. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState("");
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const mine = ++latest.current;
    setLoading(true);
    setError("");
    load()
      .then((d) => mine === latest.current && setData(d))
      .catch((err) => mine === latest.current && setError(errorText(err)))
      .finally(() => mine === latest.current && setLoading(false));
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}

/** The states around a loaded answer: loading, refused, empty, or the content. */
export function LoadState<T>(props: {
  state: Loaded<T>;
  /** Shown when the answer has nothing to list. */
  empty: string;
  isEmpty: (data: T) => boolean;
  children: (data: T) => ComponentChildren;
}) {
  const { data, error, loading } = props.state;
  if (error) return <ErrorText message={error} />;
  if (data === undefined) return loading ? <p role="status">Loading…</p> : null;
  if (props.isEmpty(data)) return <p class="empty">{props.empty}</p>;
  return <>{props.children(data)}</>;
}

/** A labelled text input (the label names the control for screen readers). */
export function TextField(props: {
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  hint?: string;
  type?: string;
  required?: boolean;
  placeholder?: string;
}) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={props.type ?? "text"}
        value={props.value}
        required={props.required}
        placeholder={props.placeholder}
        autocomplete="off"
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
        onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
      />
      {props.hint && (
        <p id={`${props.id}-hint`} class="hint">
          {props.hint}
        </p>
      )}
    </div>
  );
}

/** One choice of a SelectField: what is sent, and what the person reads. */
export interface Choice {
  value: string;
  label: string;
}

/**
 * A labelled drop-down of `choices` (a location, a supplier, a product:
 * `{ value: id, label: "Name (id)" }`), with an optional first choice that
 * means none or all (`blank`).
 */
export function SelectField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  choices: readonly Choice[];
  blank?: string;
}) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}>
        {props.blank !== undefined && <option value="">{props.blank}</option>}
        {props.choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** "Name (id)" choices of locations, suppliers or products. */
export function choicesOf<T>(items: readonly T[] | undefined, id: (t: T) => string, name: (t: T) => string): Choice[] {
  return (items ?? []).map((t) => ({ value: id(t), label: `${name(t)} (${id(t)})` }));
}

/** A page's heading, with what it is for in one line. */
export function PageHead(props: { title: string; children?: ComponentChildren }) {
  return (
    <header class="page-head">
      <h1>{props.title}</h1>
      {props.children && <p class="hint">{props.children}</p>}
    </header>
  );
}

/** A link to another page of the app (no page reload). */
export function PageLink(props: { href: string; children: ComponentChildren }) {
  return (
    <a
      href={props.href}
      onClick={(e) => {
        e.preventDefault();
        navigate(props.href);
      }}
    >
      {props.children}
    </a>
  );
}

/** Opens `bytes` (a PDF) in a new tab to print; falls back to a download. */
export function openPdf(bytes: Uint8Array, filename: string): void {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: "application/pdf" });
  const url = URL.createObjectURL(blob);
  const w = window.open(url, "_blank", "noopener");
  if (!w) saveBlob(blob, filename);
  setTimeout(() => URL.revokeObjectURL(url), 120_000);
}

/** A table row's "Change…" button; `label` names what it changes for screen readers. */
export function ChangeButton(props: { label: string; onClick: () => void }) {
  return (
    <button type="button" class="small" aria-label={props.label} onClick={props.onClick}>
      Change…
    </button>
  );
}

/** A column of a Table: its heading, and how its cells align. */
export interface Column {
  label: string;
  /** Numbers: right-aligned, tabular figures. */
  num?: boolean;
  /** Named for screen readers only (a column of buttons). */
  hidden?: boolean;
}

/** A table that scrolls sideways when too wide, with its headings; the rows are the children. */
export function Table(props: { columns: readonly (string | Column)[]; caption?: string; class?: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap">
      <table class={props.class}>
        {props.caption && <caption class="sr-only">{props.caption}</caption>}
        <thead>
          <tr>
            {props.columns.map((c) => {
              const col = typeof c === "string" ? { label: c } : c;
              return (
                <th key={col.label} scope="col" class={col.num ? "num" : undefined}>
                  {col.hidden ? <span class="sr-only">{col.label}</span> : col.label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

/** A column of numbers. */
export function num(label: string): Column {
  return { label, num: true };
}
