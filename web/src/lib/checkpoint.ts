// Signed checkpoints as files. Today's form is the C2SP signed note
// (c2sp.org/tlog-checkpoint: origin, tree size, base64 root hash, a blank
// line, the log's signature line and any witness's cosignature lines), what
// `smptrace checkpoint save` and `smptrace log checkpoint` write: the
// browser saves the note as the server sent it and reads one to show what
// it states. Files in the older form ("smptrace checkpoint v1",
// client/checkpoint_commands.cc) are still read, to be checked.

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

/** One signature line of a note: the log's own, or a witness's cosignature. */
export interface NoteSignature {
  name: string;
  /** The 4-byte key ID, hex. */
  keyId: string;
  /** A witness's cosignature (c2sp.org/tlog-cosignature) carries the time it
   * was made; the log's own signature does not. */
  cosignedAt?: Date;
}

/** What a checkpoint note states (unverified: the server checks it). */
export interface CheckpointNote {
  origin: string;
  size: bigint;
  /** The root hash, hex. */
  rootHex: string;
  signatures: NoteSignature[];
}

function base64Bytes(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const raw = atob(text);
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Reads a checkpoint note; throws an Error saying what is wrong with it. */
export function parseCheckpointNote(text: string): CheckpointNote {
  const t = text.replace(/\r\n/g, "\n");
  const blank = t.indexOf("\n\n");
  if (blank < 0) throw new Error("Not a checkpoint note: no blank line before its signatures.");
  const lines = t.slice(0, blank).split("\n");
  if (lines.length < 3) throw new Error("Not a checkpoint note: it needs its log, its size and its root hash.");
  const [origin, sizeText, rootText] = lines;
  if (!/^\d+$/.test(sizeText)) throw new Error("Not a checkpoint note: its second line is not a tree size.");
  const root = base64Bytes(rootText);
  if (!root || root.length !== 32) throw new Error("Not a checkpoint note: its third line is not a base64 root hash.");
  const signatures: NoteSignature[] = [];
  for (const line of t.slice(blank + 2).split("\n")) {
    if (line === "") continue;
    const m = /^\u2014 (\S+) (\S+)$/.exec(line);
    const bytes = m ? base64Bytes(m[2]) : undefined;
    if (!m || !bytes || bytes.length < 4) throw new Error(`Not a checkpoint note: "${line.slice(0, 40)}" is not a signature line.`);
    const sig: NoteSignature = { name: m[1], keyId: hex(bytes.slice(0, 4)) };
    // key ID, 8-byte big-endian time, 64-byte Ed25519 signature.
    if (bytes.length === 4 + 8 + 64) {
      const seconds = new DataView(bytes.buffer, 4, 8).getBigUint64(0);
      sig.cosignedAt = new Date(Number(seconds) * 1000);
    }
    signatures.push(sig);
  }
  return { origin, size: BigInt(sizeText), rootHex: hex(root), signatures };
}

/** True for a file in the older "smptrace checkpoint v1" form. */
export function isCheckpointFileV1(text: string): boolean {
  return text.startsWith(MAGIC);
}
