// Checks a client's materials-used certificate from its QR code's text, in
// the browser, with the same rules as `smptrace log verify-certificate`
// (service/proof/certificate_proof.cc): the checkpoint's Ed25519 signature
// by the clinic's verifier key (C2SP signed note), the entry's RFC 9162
// inclusion proof in that checkpoint's tree, and that the entry is a
// session's certificate. It prints the same sheet, line for line. Both
// suites check tests/testdata/certificate/vectors.json.

import { fromBinary } from "@bufbuild/protobuf";
import { CertificateProofSchema, type CertificateProof } from "../../gen/smptrace/v1/certificate_pb";
import { SterilizationMethod, SterilizationMethodSchema } from "../../gen/smptrace/v1/catalog_pb";
import type { Sterilization } from "../../gen/smptrace/v1/inventory_pb";
import { EventSchema, type Event } from "../../gen/smptrace/v1/journal_pb";
import type { Timestamp } from "@bufbuild/protobuf/wkt";

/** A check that failed, saying why (as the CLI says it). */
export class CertificateError extends Error {}

function notACertificate(why: string): CertificateError {
  return new CertificateError(
    `not a smptrace certificate: ${why}; give the text of the certificate's QR code (the URL) as scanned`,
  );
}

/** A note verifier key "<name>+<key id hex>+<base64(0x01 || key)>", read. */
export interface Verifier {
  name: string;
  keyId: Uint8Array;
  publicKey: Uint8Array;
}

function base64Bytes(text: string): Uint8Array | undefined {
  const std = text.replace(/-/g, "+").replace(/_/g, "/");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(std) || std.replace(/=+$/, "").length % 4 === 1) return undefined;
  const padded = std + "=".repeat((4 - (std.length % 4)) % 4);
  const bin = atob(padded);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

function base64Text(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest("SHA-256", all));
}

/** `b` in an ArrayBuffer of its own (WebCrypto takes no shared buffers). */
function copy(b: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(b);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const utf8 = new TextEncoder();

/** Reads a verifier key; throws a CertificateError saying what is wrong. */
export async function parseVerifierKey(text: string): Promise<Verifier> {
  const t = text.trim();
  const first = t.indexOf("+");
  const second = first < 0 ? -1 : t.indexOf("+", first + 1);
  const bad = (why: string) => new CertificateError(`key: not a note verifier key (name+keyid+base64): ${why}`);
  if (second < 0) throw bad("it has not three '+'-separated parts");
  const name = t.slice(0, first);
  const typed = base64Bytes(t.slice(second + 1));
  if (!typed || typed.length !== 33 || typed[0] !== 1) {
    throw bad("its key is not an Ed25519 key (0x01 and 32 bytes)");
  }
  const publicKey = typed.slice(1);
  const keyId = (await sha256(utf8.encode(`${name}\n`), typed)).slice(0, 4);
  if (hex(keyId) !== t.slice(first + 1, second)) throw bad("its key ID does not match its name and key");
  return { name, keyId, publicKey };
}

/** The payload of a QR code's text: the URL's #fragment, or the text alone. */
export function parseCertificateText(text: string): CertificateProof {
  let payload = text.trim();
  const hash = payload.indexOf("#");
  if (hash >= 0) payload = payload.slice(hash + 1);
  const bytes = payload ? base64Bytes(payload) : undefined;
  if (!bytes) throw notACertificate("its proof is not base64url text");
  let proof: CertificateProof;
  try {
    proof = fromBinary(CertificateProofSchema, bytes);
  } catch {
    throw notACertificate("its proof does not hold a journal entry");
  }
  if (proof.seq === 0n || proof.event.length === 0) throw notACertificate("its proof does not hold a journal entry");
  if (proof.root.length !== 32 || proof.signature.length !== 64 || proof.hashes.length % 32 !== 0) {
    throw notACertificate("its checkpoint or proof hashes are cut short");
  }
  return proof;
}

const node = (l: Uint8Array, r: Uint8Array) => sha256(Uint8Array.of(1), l, r);

/** RFC 9162 2.1.3.2: the root the proof leads to from `leaf` (or undefined). */
async function inclusionRoot(
  leaf: Uint8Array,
  index: bigint,
  size: bigint,
  path: Uint8Array[],
): Promise<Uint8Array | undefined> {
  if (index >= size) return undefined;
  let fn = index;
  let sn = size - 1n;
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) return undefined;
    if ((fn & 1n) === 1n || fn === sn) {
      r = await node(p, r);
      while ((fn & 1n) === 0n && fn !== 0n) {
        fn >>= 1n;
        sn >>= 1n;
      }
    } else {
      r = await node(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n ? r : undefined;
}

/** What a certificate check found. */
export interface VerifiedCertificate {
  seq: bigint;
  event: Event;
  origin: string;
  treeSize: bigint;
}

/** Checks the QR code's text; throws a CertificateError saying why not. */
export async function verifyCertificate(text: string, verifier: Verifier): Promise<VerifiedCertificate> {
  const proof = parseCertificateText(text);
  const body = `${verifier.name}\n${proof.treeSize}\n${base64Text(proof.root)}\n`;
  const key = await crypto.subtle.importKey("raw", copy(verifier.publicKey), { name: "Ed25519" }, false, ["verify"]);
  if (!(await crypto.subtle.verify({ name: "Ed25519" }, key, copy(proof.signature), utf8.encode(body)))) {
    throw new CertificateError(
      `the checkpoint's signature by ${verifier.name} does not match its text: the checkpoint was altered`,
    );
  }
  if (proof.seq > proof.treeSize) {
    throw new CertificateError(`entry ${proof.seq} is not in a tree of ${proof.treeSize} entries`);
  }
  const seq = new Uint8Array(8);
  new DataView(seq.buffer).setBigUint64(0, proof.seq);
  const leaf = await sha256(Uint8Array.of(0), seq, proof.event);
  const path: Uint8Array[] = [];
  for (let i = 0; i < proof.hashes.length; i += 32) path.push(proof.hashes.slice(i, i + 32));
  const root = await inclusionRoot(leaf, proof.seq - 1n, proof.treeSize, path);
  if (!root || !equal(root, proof.root)) {
    throw new CertificateError(
      `the certificate's entry ${proof.seq} is not the one in the clinic's signed log: the certificate was altered`,
    );
  }
  let event: Event | undefined;
  try {
    event = fromBinary(EventSchema, proof.event);
  } catch {
    event = undefined;
  }
  if (!event || event.payload.case !== "sessionClosed" || !event.payload.value.certificate) {
    throw new CertificateError(`entry ${proof.seq} of the clinic's log is not a session's certificate`);
  }
  return { seq: proof.seq, event, origin: verifier.name, treeSize: proof.treeSize };
}

/** What the certificate prints: label/value facts, then material rows. */
export interface CertificateSheet {
  facts: [string, string][];
  materials: string[][];
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** "2026-11-30 14:05 +01:00": `t` at a fixed UTC offset; "-" when unset. */
export function offsetTime(t: Timestamp | undefined, offsetMinutes: number): string {
  if (!t || t.seconds === 0n) return "-";
  const d = new Date((Number(t.seconds) + offsetMinutes * 60) * 1000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const a = Math.abs(offsetMinutes);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} ${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`
  );
}

/** "EO 2026-B7", "GAMMA G-77", "none recorded". */
export function sterilizationText(s: Sterilization | undefined): string {
  const batch = s?.batch ?? "";
  if (!s || s.method === SterilizationMethod.UNSPECIFIED) return batch ? `batch ${batch}` : "none recorded";
  let method =
    SterilizationMethodSchema.values.find((v) => v.number === s.method)?.name.replace(/^STERILIZATION_METHOD_/, "") ??
    String(s.method);
  if (s.method === SterilizationMethod.ETHYLENE_OXIDE) method = "EO";
  return batch ? `${method} ${batch}` : method;
}

/** The sheet of a verified certificate's entry. */
export function sheetOf(seq: bigint, event: Event): CertificateSheet {
  if (event.payload.case !== "sessionClosed") return { facts: [], materials: [] };
  const closed = event.payload.value;
  const c = closed.certificate;
  const offset = c?.utcOffsetMinutes ?? 0;
  const facts: [string, string][] = [
    ["Client", c?.clientCode ?? ""],
    ["Procedure", `${closed.sessionId} · ${c?.treatmentArea ?? ""}`],
    ["Practitioner", c?.practitioner ?? ""],
    ["Date", offsetTime(c?.startedAt, offset)],
    ["Closed", `${offsetTime(event.time, offset)} by ${event.actor}`],
    ["Record", `journal entry ${seq}, request ${event.requestId}`],
  ];
  if (closed.undisposed.length > 0) {
    const units = closed.undisposed.map((u) => `${u.gtin} serial ${u.serial}`).join(", ");
    facts.push([
      "Exception",
      `${closed.undisposed.length} single-use unit(s) not disposed (${units}): ${closed.undisposedReason}`,
    ]);
  }
  const materials = (c?.materials ?? []).map((m) => [
    m.productName,
    m.gtin,
    m.lot,
    m.expiry && m.expiry.year !== 0 ? `${pad(m.expiry.year, 4)}-${pad(m.expiry.month)}-${pad(m.expiry.day)}` : "-",
    sterilizationText(m.sterilization),
    String(Math.max(m.count, 1)),
  ]);
  return { facts, materials };
}

/** The sheet as `smptrace log verify-certificate` prints it. */
export function sheetText(sheet: CertificateSheet): string {
  let out = sheet.facts.map(([label, value]) => `${label}: ${value}\n`).join("");
  out += "\nProduct\tGTIN\tLot\tExpires\tSterilisation\tQty\n";
  out += sheet.materials.map((row) => `${row.join("\t")}\n`).join("");
  return out;
}
