// Signed checkpoints of the transparency log: the server signs the
// journal's Merkle tree (its size and root hash) as a C2SP signed note,
// which witnesses may cosign; keep the note, and later check that the
// journal still extends it. The file is the CLI's (`smptrace checkpoint
// save|check`, `smptrace log checkpoint`); files in the older v1 form are
// still checked. Calls GetCheckpoint (the metric of the last checkpoint
// issued), GetLogCheckpoint (the latest witnessed one), CheckCheckpoint (and
// VerifyJournal: JournalCheck).

import { useState } from "preact/hooks";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Role } from "../../../gen/smptrace/v1/admin_pb";
import { AuditService, type CheckCheckpointResponse, type LogCosignature } from "../../../gen/smptrace/v1/audit_pb";
import { api } from "../../api/client";
import { saveBlob } from "../../api/download";
import { type CheckpointNote, isCheckpointFileV1, parseCheckpointFile, parseCheckpointNote } from "../../lib/checkpoint";
import { dayIn, formatDate, formatTimestamp } from "../../lib/time";
import type { Page, PageProps } from "../page";
import { JournalCheck } from "./JournalCheck";
import { ErrorText, useAction } from "../../shell/action";
import { PageHead } from "./ui";

/** Origin, size, root and who signed: what a note states. */
function NoteFacts({ note, tz }: { note: CheckpointNote; tz: string }) {
  const witnesses = note.signatures.filter((s) => s.cosignedAt);
  return (
    <dl class="facts">
      <dt>Log</dt>
      <dd class="mono">{note.origin}</dd>
      <dt>Entries</dt>
      <dd>{String(note.size)}</dd>
      <dt>Root hash</dt>
      <dd class="mono">{note.rootHex}</dd>
      <dt>Witnesses</dt>
      <dd>
        {witnesses.length === 0 ? (
          "no witness has cosigned this size"
        ) : (
          <ul class="plain" aria-label="Cosigned by">
            {witnesses.map((w) => (
              <li key={w.name + w.keyId}>
                <span class="mono">{w.name}</span>, {formatTimestamp(timestampFromMs(w.cosignedAt!.getTime()), tz)}
              </li>
            ))}
          </ul>
        )}
      </dd>
    </dl>
  );
}

function Cosignatures({ list, tz }: { list: LogCosignature[]; tz: string }) {
  if (list.length === 0) return <li>✘ no cosignature by a witness this server knows</li>;
  return (
    <>
      {list.map((c) => (
        <li key={c.line}>
          ✔ cosigned by witness <span class="mono">{c.witness}</span>, {formatTimestamp(c.time, tz)}
        </li>
      ))}
    </>
  );
}

function Checkpoints({ who }: PageProps) {
  const tz = who.clinicTimeZone;
  const [note, setNote] = useState<string | undefined>(undefined);
  const [text, setText] = useState("");
  const [check, setCheck] = useState<CheckCheckpointResponse | undefined>(undefined);
  const [checked, setChecked] = useState<CheckpointNote | undefined>(undefined);
  const sign = useAction();
  const checking = useAction();

  async function getOne(witnessed: boolean) {
    const r = await sign.run(async () =>
      witnessed ? (await api(AuditService).getLogCheckpoint({ witnessed: true })).note : (await api(AuditService).getCheckpoint({})).note,
    );
    if (r) setNote(r);
  }
  function save(n: string) {
    const name = `checkpoint-${formatDate(dayIn(new Date(), tz))}.txt`;
    saveBlob(new Blob([n], { type: "text/plain" }), name);
  }
  async function checkIt(e: Event) {
    e.preventDefault();
    setCheck(undefined);
    setChecked(undefined);
    const r = await checking.run(async () => {
      if (isCheckpointFileV1(text)) return api(AuditService).checkCheckpoint({ checkpoint: parseCheckpointFile(text) });
      const stated = parseCheckpointNote(text);
      const answer = await api(AuditService).checkCheckpoint({ note: text });
      setChecked(stated);
      return answer;
    });
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
          <p>
            The server signs the size and root hash of its transparency log. A witness cosigns a checkpoint only if the log
            extends the last one it saw. Keep the file somewhere the clinic cannot write.
          </p>
          <div class="actions">
            <button type="button" class="primary" disabled={sign.busy} onClick={() => void getOne(false)}>
              Sign the log now
            </button>
            <button type="button" disabled={sign.busy} onClick={() => void getOne(true)}>
              Latest witnessed checkpoint
            </button>
          </div>
          <ErrorText message={sign.error} />
          {note && (
            <>
              <NoteFacts note={parseCheckpointNote(note)} tz={tz} />
              <pre class="mono note" aria-label="Checkpoint note">{note}</pre>
              <button type="button" onClick={() => save(note)}>
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
            <textarea id="k-text" class="mono" rows={8} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} placeholder="smptrace/…" />
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
                {checked && check.signatureValid && <Cosignatures list={check.cosignatures} tz={tz} />}
              </ul>
              {checked && <NoteFacts note={checked} tz={tz} />}
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
