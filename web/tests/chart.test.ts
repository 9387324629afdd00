import assert from "node:assert/strict";
import { test } from "node:test";
import { barHeight, niceScale } from "../src/lib/chart";

test("the axis steps by 1, 2 or 5 times a power of ten and holds the largest value", () => {
  assert.deepEqual(niceScale(14), { max: 15, step: 5, ticks: [0, 5, 10, 15] });
  assert.deepEqual(niceScale(9), { max: 10, step: 2, ticks: [0, 2, 4, 6, 8, 10] });
  assert.deepEqual(niceScale(100), { max: 100, step: 20, ticks: [0, 20, 40, 60, 80, 100] });
  assert.equal(niceScale(101).max, 150);
  assert.equal(niceScale(4300).step, 1000);
});

test("small counts step by whole units, never by halves", () => {
  assert.deepEqual(niceScale(1), { max: 1, step: 1, ticks: [0, 1] });
  assert.deepEqual(niceScale(3), { max: 3, step: 1, ticks: [0, 1, 2, 3] });
});

test("an empty, zero or nonsense series gets the axis 0..1", () => {
  for (const v of [0, -5, Number.NaN, Number.NEGATIVE_INFINITY]) {
    assert.deepEqual(niceScale(v), { max: 1, step: 1, ticks: [0, 1] }, String(v));
  }
});

test("a bar's height is its share of the axis, never below 0 nor above the chart", () => {
  const s = niceScale(14);
  assert.equal(barHeight(15, s, 150), 150);
  assert.equal(barHeight(5, s, 150), 50);
  assert.equal(barHeight(0, s, 150), 0);
  assert.equal(barHeight(-3, s, 150), 0);
  assert.equal(barHeight(99, s, 150), 150);
});
