import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DoubleReadFilter, ScanLineSplitter } from "../src/lib/scanner";

const A = "(01)09506000134352(17)271231(10)CT-2291(21)SMP000000001";
const B = "(01)09506000134352(17)271231(10)CT-2291(21)SMP000000002";

describe("ScanLineSplitter", () => {
  for (const [name, end] of [
    ["CR", "\r"],
    ["LF", "\n"],
    ["CR+LF", "\r\n"],
    ["Tab", "\t"],
  ] as const) {
    test(`a scanner ending lines with ${name} makes one scan per barcode`, () => {
      const s = new ScanLineSplitter();
      assert.deepEqual(s.push(`${A}${end}${B}${end}`), [A, B]);
      assert.equal(s.rest, "");
    });
  }

  test("CR+LF split across two pushes is still one terminator", () => {
    const s = new ScanLineSplitter();
    assert.deepEqual(s.push(`${A}\r`), [A]);
    assert.deepEqual(s.push("\n"), []);
    assert.deepEqual(s.push(`${B}\r\n`), [B]);
  });

  test("empty and blank lines are ignored", () => {
    const s = new ScanLineSplitter();
    assert.deepEqual(s.push(`\r\n\r\n${A}\n\n   \t\t${B}\r\r`), [A, B]);
  });

  test("LF then CR is two terminators, the second an ignored empty line", () => {
    const s = new ScanLineSplitter();
    assert.deepEqual(s.push(`${A}\n\r${B}\n`), [A, B]);
  });

  test("an unfinished line waits for its terminator", () => {
    const s = new ScanLineSplitter();
    assert.deepEqual(s.push("(01)0950"), []);
    assert.equal(s.rest, "(01)0950");
    assert.deepEqual(s.push("6000134352\r"), ["(01)09506000134352"]);
  });

  test("GS separators inside a barcode are kept", () => {
    const s = new ScanLineSplitter();
    const gs1 = "]d20109506000134352\x1d10CT-2291\x1d21SMP1";
    assert.deepEqual(s.push(`${gs1}\r\n`), [gs1]);
  });

  test("a field that re-pushes its text with the terminator (discardPending) keeps CR+LF as one", () => {
    // As ScanField does: the field holds the line, the Enter key pushes it.
    const s = new ScanLineSplitter();
    s.discardPending();
    assert.deepEqual(s.push(`${A}\r`), [A]);
    s.discardPending();
    assert.deepEqual(s.push("\n"), []);
    s.discardPending();
    assert.deepEqual(s.push(`${B}\n`), [B]);
  });
});

describe("DoubleReadFilter", () => {
  test("the same barcode within the window is a double read, not sent", () => {
    const f = new DoubleReadFilter(1000);
    assert.equal(f.accept(A, 0), true);
    assert.equal(f.accept(A, 150), false);
  });

  test("the same barcode after the window is a new scan", () => {
    const f = new DoubleReadFilter(1000);
    assert.equal(f.accept(A, 0), true);
    assert.equal(f.accept(A, 1000), true);
  });

  test("a label re-read again and again makes one scan (the window slides)", () => {
    const f = new DoubleReadFilter(1000);
    const sent = [0, 400, 800, 1200, 1600].filter((t) => f.accept(A, t));
    assert.deepEqual(sent, [0]);
  });

  test("a different barcode in between ends the repeat", () => {
    const f = new DoubleReadFilter(1000);
    assert.equal(f.accept(A, 0), true);
    assert.equal(f.accept(B, 100), true);
    assert.equal(f.accept(A, 200), true);
  });

  test("the default window is about a second", () => {
    const f = new DoubleReadFilter();
    assert.equal(f.accept(A, 0), true);
    assert.equal(f.accept(A, 900), false);
    assert.equal(f.accept(A, 2000), true);
  });
});
