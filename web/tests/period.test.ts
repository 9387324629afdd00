import assert from "node:assert/strict";
import { test } from "node:test";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { lastDays, periodOfDays, startOfDayMs, zoneOffsetMs } from "../src/lib/period";

const iso = (ms: number) => new Date(ms).toISOString();

test("a clinic day starts at its own midnight, not UTC's", () => {
  assert.equal(iso(startOfDayMs({ year: 2026, month: 11, day: 24 }, "Europe/Warsaw")), "2026-11-23T23:00:00.000Z");
  assert.equal(iso(startOfDayMs({ year: 2026, month: 7, day: 1 }, "Europe/Warsaw")), "2026-06-30T22:00:00.000Z");
  assert.equal(iso(startOfDayMs({ year: 2026, month: 11, day: 24 }, "America/New_York")), "2026-11-24T05:00:00.000Z");
  assert.equal(iso(startOfDayMs({ year: 2026, month: 11, day: 24 }, "UTC")), "2026-11-24T00:00:00.000Z");
});

test("the days around a clock change start at their local midnight", () => {
  // Europe/London goes to summer time at 01:00 UTC on 2026-03-29.
  assert.equal(iso(startOfDayMs({ year: 2026, month: 3, day: 29 }, "Europe/London")), "2026-03-29T00:00:00.000Z");
  assert.equal(iso(startOfDayMs({ year: 2026, month: 3, day: 30 }, "Europe/London")), "2026-03-29T23:00:00.000Z");
  assert.equal(zoneOffsetMs(Date.parse("2026-03-29T02:00:00Z"), "Europe/London"), 3600_000);
});

test("a period of days is [first day's midnight, the midnight after the last day)", () => {
  const p = periodOfDays("2026-11-01", "2026-11-30", "Europe/Warsaw");
  assert.equal(iso(timestampMs(p.from!)), "2026-10-31T23:00:00.000Z");
  assert.equal(iso(timestampMs(p.to!)), "2026-11-30T23:00:00.000Z");
  const one = periodOfDays("2026-12-31", "2026-12-31", "UTC");
  assert.equal(iso(timestampMs(one.to!)), "2027-01-01T00:00:00.000Z");
});

test("a blank end is open; a bad or backwards period names the field", () => {
  const open = periodOfDays("", "2026-11-30", "UTC");
  assert.equal(open.from, undefined);
  assert.ok(open.to);
  assert.deepEqual(periodOfDays(" ", "", "UTC"), { from: undefined, to: undefined });
  assert.throws(() => periodOfDays("30/11/2026", "", "UTC"), /^Error: From: "30\/11\/2026" is not a date/);
  assert.throws(() => periodOfDays("", "2026-13", "UTC"), /^Error: To:/);
  assert.throws(() => periodOfDays("2026-11-30", "2026-11-01", "UTC"), /To \(2026-11-01\) is before From \(2026-11-30\)/);
});

test("the last 7 days end today in the clinic's time zone", () => {
  // 23:30 UTC on the 30th is already the 1st in Warsaw.
  const now = new Date("2026-11-30T23:30:00Z");
  assert.deepEqual(lastDays(7, now, "Europe/Warsaw"), { from: "2026-11-25", to: "2026-12-01" });
  assert.deepEqual(lastDays(1, now, "UTC"), { from: "2026-11-30", to: "2026-11-30" });
});
