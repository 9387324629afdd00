// A signed checkpoint as a file, in the CLI's format ("smptrace checkpoint
// v1", client/checkpoint_commands.cc): a checkpoint saved from the browser
// is checked by `smptrace checkpoint check`, and one saved by the CLI is
// checked here.

import { create } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { CheckpointSchema, type Checkpoint } from "../../gen/smptrace/v1/audit_pb";
import { zoneOffsetMs } from "./period";
import { formatTimestamp } from "./time";

const MAGIC = "smptrace checkpoint v1";
const PEM_MARK = "\npublic_key:\n";

/** "+01:00": the zone's offset from UTC at `ms`, as the CLI writes it. */
export function offsetText(ms: number, timeZone: string): string {
  const minutes = Math.round(zoneOffsetMs(ms, timeZone) / 60000);
  const sign = minutes < 0 ? "-" : "+";
  const a = Math.abs(minutes);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

/** The file's text (signed_at in the clinic's time zone, with its offset). */
export function formatCheckpointFile(c: Checkpoint, timeZone: string): string {
  const signedAt = c.signedAt
    ? `${formatTimestamp(c.signedAt, timeZone)} ${offsetText(timestampMs(c.signedAt), timeZone)}`
    : "";
  return [
    MAGIC,
    `seq: ${c.seq}`,
    `hash: ${c.hash}`,
    `signed_at: ${signedAt}`,
    `key_id: ${c.keyId}`,
    `signature: ${c.signature}`,
    `public_key:\n${c.publicKeyPem}`,
  ].join("\n");
}

/** Reads a checkpoint file; throws an Error saying what is wrong with it. */
export function parseCheckpointFile(text: string): Checkpoint {
  const t = text.replace(/\r\n/g, "\n");
  if (!t.startsWith(MAGIC)) throw new Error(`Not a checkpoint file (it should start with "${MAGIC}").`);
  const pem = t.indexOf(PEM_MARK);
  if (pem < 0) throw new Error("The checkpoint file has no public_key.");
  const c = create(CheckpointSchema, { publicKeyPem: t.slice(pem + PEM_MARK.length) });
  for (const line of t.slice(0, pem).split("\n")) {
    const colon = line.indexOf(": ");
    if (colon < 0) continue;
    const key = line.slice(0, colon);
    const value = line.slice(colon + 2);
    if (key === "seq") {
      if (!/^\d+$/.test(value)) throw new Error("seq: not a number.");
      c.seq = BigInt(value);
    } else if (key === "hash") c.hash = value;
    else if (key === "key_id") c.keyId = value;
    else if (key === "signature") c.signature = value;
  }
  return c;
}
