// Signed checkpoints: the server signs its journal head (seq + hash); keep
// the file, and later check that the journal still extends it. The file is
// the CLI's (`smptrace checkpoint save|check`). Calls GetCheckpoint,
// CheckCheckpoint (and VerifyJournal: JournalCheck).

import { useState } from "preact/hooks";
import { Role } from "../../../gen/smptrace/v1/admin_pb";
import { AuditService, type CheckCheckpointResponse, type Checkpoint } from "../../../gen/smptrace/v1/audit_pb";
import { api } from "../../api/client";
import { saveBlob } from "../../api/download";
import { formatCheckpointFile, parseCheckpointFile } from "../../lib/checkpoint";
import { dayIn, formatDate, formatTimestamp } from "../../lib/time";
import type { Page, PageProps } from "../page";
import { JournalCheck } from "./JournalCheck";
import { ErrorText, useAction } from "../../shell/action";
import { PageHead } from "./ui";

function Checkpoints({ who }: PageProps) {
  const tz = who.clinicTimeZone;
  const [cp, setCp] = useState<Checkpoint | undefined>(undefined);
  const [text, setText] = useState("");
  const [check, setCheck] = useState<CheckCheckpointResponse | undefined>(undefined);
  const sign = useAction();
  const checking = useAction();

  async function getOne() {
    const r = await sign.run(() => api(AuditService).getCheckpoint({}));
    if (r) setCp(r);
  }
  function save(c: Checkpoint) {
    const name = `checkpoint-${formatDate(dayIn(new Date(), tz))}.txt`;
    saveBlob(new Blob([formatCheckpointFile(c, tz)], { type: "text/plain" }), name);
  }
  async function checkIt(e: Event) {
    e.preventDefault();
    setCheck(undefined);
    const r = await checking.run(async () => api(AuditService).checkCheckpoint({ checkpoint: parseCheckpointFile(text) }));
    if (r) setCheck(r);
  }
  async function readFile(input: HTMLInputElement) {
    const f = input.files?.[0];
    if (f) setText(await f.text());
  }

  return (
    <div class="desk">
      <PageHead title="Checkpoints">Proof the history was only appended to: keep a signed checkpoint, check it later.</PageHead>
      <div class="columns">
        <section class="card" aria-labelledby="k-sign">
          <h2 id="k-sign">A new checkpoint</h2>
          <p>The server signs the journal's size and head hash. Keep the file somewhere the clinic cannot write.</p>
          <button type="button" class="primary" disabled={sign.busy} onClick={() => void getOne()}>
            Sign the journal head now
          </button>
          <ErrorText message={sign.error} />
          {cp && (
            <>
              <dl class="facts">
                <dt>Entries</dt>
                <dd>{String(cp.seq)}</dd>
                <dt>Head hash</dt>
                <dd class="mono">{cp.hash}</dd>
                <dt>Signed</dt>
                <dd>{formatTimestamp(cp.signedAt, tz)}</dd>
                <dt>Key id</dt>
                <dd class="mono">{cp.keyId}</dd>
              </dl>
              <button type="button" onClick={() => save(cp)}>
                Save the checkpoint file
              </button>
            </>
          )}
        </section>
        <section class="card" aria-labelledby="k-check">
          <h2 id="k-check">Check a saved checkpoint</h2>
          <form onSubmit={checkIt}>
            <label for="k-file">Checkpoint file</label>
            <input id="k-file" type="file" accept=".txt,text/plain" onChange={(e) => void readFile(e.target as HTMLInputElement)} />
            <label for="k-text">or its text</label>
            <textarea id="k-text" class="mono" rows={8} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} placeholder="smptrace checkpoint v1" />
            <button type="submit" class="primary" disabled={checking.busy || !text.trim()}>
              Check it
            </button>
          </form>
          <ErrorText message={checking.error} />
          {check && (
            <div class={`verdict ${check.ok ? "ok" : "bad"}`} role="status">
              <strong>{check.ok ? "Checkpoint OK" : "Checkpoint FAILED"}</strong>: {check.detail}
              <ul class="plain">
                <li>{check.signatureValid ? "✔" : "✘"} the signature matches</li>
                <li>{check.signedByThisServer ? "✔" : "✘"} this server's key made it</li>
                <li>
                  {check.journalExtends ? "✔" : "✘"} the journal (now {String(check.currentSeq)} entries) extends it
                </li>
              </ul>
            </div>
          )}
        </section>
      </div>
      <JournalCheck />
    </div>
  );
}

export const checkpointPage: Page = {
  path: "/checkpoints",
  title: "Checkpoints",
  roles: [Role.AUDITOR],
  component: Checkpoints,
};
