import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { TimestampSchema } from "@bufbuild/protobuf/wkt";
import {
  CertificateError,
  offsetTime,
  parseVerifierKey,
  sheetOf,
  sheetText,
  verifyCertificate,
} from "../src/lib/certificate";

// The vectors the C++ verifier checks too (certificate_test writes them from
// a certificate its server printed).
interface Vectors {
  key: string;
  cases: { name: string; text: string; sheet?: string; error?: string }[];
}
const vectors: Vectors = JSON.parse(
  readFileSync(resolve(process.cwd(), "..", "tests", "testdata", "certificate", "vectors.json"), "utf8"),
);

test("every shared vector verifies, or fails for its reason, as in C++", async () => {
  const verifier = await parseVerifierKey(vectors.key);
  assert.ok(vectors.cases.length >= 5);
  for (const c of vectors.cases) {
    if (c.sheet !== undefined) {
      const v = await verifyCertificate(c.text, verifier);
      assert.equal(sheetText(sheetOf(v.seq, v.event)), c.sheet, c.name);
    } else {
      await assert.rejects(verifyCertificate(c.text, verifier), (e: unknown) => {
        assert.ok(e instanceof CertificateError, c.name);
        assert.ok(e.message.includes(c.error ?? "?"), `${c.name}: ${e.message}`);
        return true;
      });
    }
  }
});

test("any changed character of the payload fails", async () => {
  const verifier = await parseVerifierKey(vectors.key);
  const good = vectors.cases[0].text;
  const start = good.indexOf("#") + 1;
  for (let i = start; i < good.length; i += 7) {
    const ch = good[i] === "A" ? "B" : "A";
    const changed = good.slice(0, i) + ch + good.slice(i + 1);
    await assert.rejects(verifyCertificate(changed, verifier), CertificateError, `character ${i}`);
  }
});

test("a key whose id does not match is refused, naming the key", async () => {
  // The base64 key may hold '+' too: split at the first two only.
  const [name, id] = vectors.key.split("+", 2);
  const key = vectors.key.slice(name.length + id.length + 2);
  await assert.rejects(parseVerifierKey(`${name}+${id.replace(/./, id[0] === "0" ? "1" : "0")}+${key}`), /key ID/);
  await assert.rejects(parseVerifierKey(`other+${id}+${key}`), /key ID/);
});

test("times print at the certificate's own UTC offset", () => {
  assert.equal(offsetTime(create(TimestampSchema, { seconds: 1795424400n }), 60), "2026-11-23 10:00 +01:00");
  assert.equal(offsetTime(create(TimestampSchema, { seconds: 1795424400n }), -330), "2026-11-23 03:30 -05:30");
  assert.equal(offsetTime(undefined, 0), "-");
});
