// Exports as downloads: what happened to every unit, from the journal, as
// CSV, JSON lines or GS1 EPCIS, optionally for a range of journal entries.
// Calls Export through the server's download door.

import { useState } from "preact/hooks";
import { Role } from "../../../gen/smptrace/v1/admin_pb";
import { ExportFormat, ExportRequestSchema } from "../../../gen/smptrace/v1/audit_pb";
import { downloadRpc, saveBlob } from "../../api/download";
import { EXPORT_CHOICES, exportFilename, exportRequest } from "../../lib/exports";
import type { Page, PageProps } from "../page";
import { ErrorText, useAction } from "../../shell/action";
import { PageHead, TextField } from "./ui";

function Exports(_: PageProps) {
  const [format, setFormat] = useState<ExportFormat>(ExportFormat.CSV);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [saved, setSaved] = useState("");
  const action = useAction();

  async function run(e: Event) {
    e.preventDefault();
    setSaved("");
    await action.run(async () => {
      const req = exportRequest(format, from, to);
      const blob = await downloadRpc("smptrace.v1.AuditService/Export", ExportRequestSchema, req);
      const name = exportFilename(req);
      saveBlob(blob, name);
      setSaved(`${name} (${(blob.size / 1024).toFixed(1)} KiB) saved to your downloads.`);
    });
  }

  return (
    <div class="desk">
      <PageHead title="Exports">
        What happened to every unit, read from the journal at one instant. Sessions appear by id; no client data is exported.
      </PageHead>
      <form class="card" onSubmit={run} aria-labelledby="e-h">
        <h2 id="e-h">Export</h2>
        <fieldset>
          <legend>Format</legend>
          {EXPORT_CHOICES.map((c) => (
            <label class="check" key={c.format}>
              <input type="radio" name="format" checked={format === c.format} onChange={() => setFormat(c.format)} />
              {c.label}
            </label>
          ))}
        </fieldset>
        <div class="row">
          <TextField id="e-from" label="From journal entry (blank: the first)" value={from} onInput={setFrom} />
          <TextField id="e-to" label="To journal entry (blank: the last)" value={to} onInput={setTo} />
        </div>
        <ErrorText message={action.error} />
        <div class="actions">
          <button type="submit" class="primary" disabled={action.busy}>
            {action.busy ? "Exporting…" : "Download the export"}
          </button>
          {saved && (
            <span role="status" class="badge ok">
              {saved}
            </span>
          )}
        </div>
      </form>
    </div>
  );
}

export const exportsPage: Page = {
  path: "/exports",
  title: "Exports",
  roles: [Role.AUDITOR],
  component: Exports,
};
