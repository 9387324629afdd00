// Changing a location or a supplier in the catalogue: its text fields as
// they are now, saved as its next version (UpdateLocation / UpdateSupplier
// with the version read, so a change saved meanwhile by someone else is
// refused, not overwritten: the same as `smptrace location update` and
// `supplier update`). The server checks the fields and names the one it
// refuses.

import { useState } from "preact/hooks";
import { ErrorText, useAction } from "../../shell/action";
import { TextField } from "./ui";

export interface EditField {
  id: string;
  label: string;
  value: string;
}

/**
 * A form titled `title` with `fields` filled in; `save` gets the typed
 * values by field id (trimmed) and resolves when the server accepted them.
 */
export function RecordEdit(props: {
  title: string;
  fields: readonly EditField[];
  save: (values: Record<string, string>) => Promise<unknown>;
  onDone: () => void;
}) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(props.fields.map((f) => [f.id, f.value])));
  const action = useAction();
  const headingId = `${props.fields[0]?.id ?? "edit"}-h`;

  async function submit(e: Event) {
    e.preventDefault();
    const trimmed = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim()]));
    if (await action.run(() => props.save(trimmed))) props.onDone();
  }

  return (
    <form class="subform" onSubmit={submit} aria-labelledby={headingId}>
      <h3 id={headingId}>{props.title}</h3>
      <div class="row">
        {props.fields.map((f) => (
          <TextField key={f.id} id={f.id} label={f.label} value={values[f.id] ?? ""} onInput={(v) => setValues({ ...values, [f.id]: v })} />
        ))}
      </div>
      <ErrorText message={action.error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy}>
          Save
        </button>
        <button type="button" onClick={props.onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
