import assert from "node:assert/strict";
import { test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { CheckpointSchema } from "../gen/smptrace/v1/audit_pb";
import { formatCheckpointFile, isCheckpointFileV1, offsetText, parseCheckpointFile, parseCheckpointNote } from "../src/lib/checkpoint";

// As `smptrace checkpoint save` writes it (docs/auditor.md).
const CLI_FILE = `smptrace checkpoint v1
seq: 41
hash: b25904a73d30424bd81e4a051cef93a7e495f4b04b7f7d13857fa4603ed782da
signed_at: 2026-11-24 10:00 +00:00
key_id: 94458057becf63c300ff1a3a456f74b1352cf144c3c9267da3eb4c97788fe3df
signature: 93c29197eff0aaba2d0942453f299abd3f2bc079e9cf8155f77bce454b84486e9bdacef8f3d3beac59165fd130d9d5a9b2a02336769feb8cd0fd0e14ac0bbe0a
public_key:
-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAHXMT61ODZNFwERHsYNbKTJYgILiuqaQpS96jpZbW7XY=
-----END PUBLIC KEY-----
`;

test("a checkpoint file saved by the CLI is read field by field", () => {
  const c = parseCheckpointFile(CLI_FILE);
  assert.equal(c.seq, 41n);
  assert.equal(c.hash, "b25904a73d30424bd81e4a051cef93a7e495f4b04b7f7d13857fa4603ed782da");
  assert.equal(c.keyId, "94458057becf63c300ff1a3a456f74b1352cf144c3c9267da3eb4c97788fe3df");
  assert.match(c.signature, /^93c29197/);
  assert.equal(c.publicKeyPem, CLI_FILE.slice(CLI_FILE.indexOf("-----BEGIN")));
  // Windows line endings (a file passed through a mail client) read the same.
  assert.deepEqual(parseCheckpointFile(CLI_FILE.replace(/\n/g, "\r\n")).seq, 41n);
});

test("the browser writes the CLI's format, byte for byte", () => {
  const c = parseCheckpointFile(CLI_FILE);
  c.signedAt = timestampFromMs(Date.parse("2026-11-24T10:00:00Z"));
  assert.equal(formatCheckpointFile(c, "UTC"), CLI_FILE);
  assert.match(formatCheckpointFile(c, "Europe/Warsaw"), /^signed_at: 2026-11-24 11:00 \+01:00$/m);
});

test("a file that is not a checkpoint says so", () => {
  assert.throws(() => parseCheckpointFile("hello"), /Not a checkpoint file/);
  assert.throws(() => parseCheckpointFile("smptrace checkpoint v1\nseq: 4\n"), /no public_key/);
  assert.throws(() => parseCheckpointFile("smptrace checkpoint v1\nseq: four\npublic_key:\nX"), /seq: not a number/);
  assert.equal(formatCheckpointFile(create(CheckpointSchema), "UTC").split("\n")[3], "signed_at: ");
});

test("offsets are written as the CLI writes them", () => {
  assert.equal(offsetText(Date.parse("2026-07-01T12:00:00Z"), "Europe/Warsaw"), "+02:00");
  assert.equal(offsetText(Date.parse("2026-07-01T12:00:00Z"), "America/St_Johns"), "-02:30");
  assert.equal(offsetText(Date.parse("2026-07-01T12:00:00Z"), "Asia/Kolkata"), "+05:30");
});

// A note as `smptrace log checkpoint` prints it once a witness cosigned it:
// the log's signature (key ID + 64 bytes) and a cosignature (key ID + 8-byte
// time + 64 bytes, c2sp.org/tlog-cosignature), built here byte by byte.
function sigLine(name: string, keyId: number[], time?: bigint): string {
  const bytes = Buffer.alloc(time === undefined ? 68 : 76);
  Buffer.from(keyId).copy(bytes, 0);
  if (time !== undefined) bytes.writeBigUInt64BE(time, 4);
  return `\u2014 ${name} ${bytes.toString("base64")}`;
}
const ROOT = Buffer.alloc(32, 0xab).toString("base64");
const NOTE = [
  "smptrace/38b5bbdc334f2941",
  "42",
  ROOT,
  "",
  sigLine("smptrace/38b5bbdc334f2941", [0xb2, 0xc5, 0x23, 0xca]),
  sigLine("inspector.example.org/witness", [1, 2, 3, 4], 1795000000n),
  "",
].join("\n");

test("a checkpoint note states its log, size, root and who cosigned it when", () => {
  const n = parseCheckpointNote(NOTE);
  assert.equal(n.origin, "smptrace/38b5bbdc334f2941");
  assert.equal(n.size, 42n);
  assert.equal(n.rootHex, "ab".repeat(32));
  assert.equal(n.signatures.length, 2);
  assert.equal(n.signatures[0].keyId, "b2c523ca");
  assert.equal(n.signatures[0].cosignedAt, undefined, "the log's own signature has no time");
  assert.equal(n.signatures[1].name, "inspector.example.org/witness");
  assert.equal(n.signatures[1].keyId, "01020304");
  assert.equal(n.signatures[1].cosignedAt?.toISOString(), "2026-11-18T11:06:40.000Z");
  assert.equal(parseCheckpointNote(NOTE.replace(/\n/g, "\r\n")).size, 42n);
  assert.equal(isCheckpointFileV1(NOTE), false);
  assert.equal(isCheckpointFileV1(CLI_FILE), true);
});

test("text that is not a checkpoint note says what is wrong", () => {
  assert.throws(() => parseCheckpointNote("hello"), /no blank line/);
  assert.throws(() => parseCheckpointNote("a\nforty\nx\n\n"), /not a tree size/);
  assert.throws(() => parseCheckpointNote("a\n4\nnotbase64!\n\n"), /not a base64 root hash/);
  assert.throws(() => parseCheckpointNote(`a\n4\n${ROOT}\n\nsigned by me\n`), /is not a signature line/);
});
