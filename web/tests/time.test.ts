import assert from "node:assert/strict";
import { test } from "node:test";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { dayIn, formatDate, formatDateTime, formatDuration, formatTimestamp, parseDate, parseDateText } from "../src/lib/time";

// 2026-07-01 23:30 UTC: British summer time, and already the 2nd in Tokyo.
const summer = new Date(Date.UTC(2026, 6, 1, 23, 30));
// 2026-11-24 11:00 UTC: London is on UTC in winter.
const winter = new Date(Date.UTC(2026, 10, 24, 11, 0));

test("a time is shown in the clinic's time zone, not the browser's", () => {
  assert.equal(formatDateTime(summer, "Europe/London"), "2026-07-02 00:30");
  assert.equal(formatDateTime(summer, "UTC"), "2026-07-01 23:30");
  assert.equal(formatDateTime(summer, "Asia/Tokyo"), "2026-07-02 08:30");
  assert.equal(formatDateTime(summer, "America/New_York"), "2026-07-01 19:30");
  assert.equal(formatDateTime(winter, "Europe/London"), "2026-11-24 11:00");
});

test("midnight is 00, not 24", () => {
  assert.equal(formatDateTime(new Date(Date.UTC(2026, 0, 1, 0, 5)), "UTC"), "2026-01-01 00:05");
});

test("a protobuf Timestamp is formatted; unset is empty", () => {
  assert.equal(formatTimestamp(timestampFromDate(winter), "Europe/London"), "2026-11-24 11:00");
  assert.equal(formatTimestamp(undefined, "Europe/London"), "");
});

test("the clinic's today follows its time zone", () => {
  assert.deepEqual(dayIn(summer, "Europe/London"), { year: 2026, month: 7, day: 2 });
  assert.deepEqual(dayIn(summer, "America/New_York"), { year: 2026, month: 7, day: 1 });
});

test("calendar dates are written YYYY-MM-DD and read back from a date input", () => {
  assert.equal(formatDate({ year: 2027, month: 12, day: 31 }), "2027-12-31");
  assert.equal(formatDate({ year: 2028, month: 6, day: 3 }), "2028-06-03");
  assert.equal(formatDate(undefined), "");
  assert.equal(formatDate({ year: 0, month: 0, day: 0 }), "");
  assert.deepEqual(parseDate("2026-10-09"), { year: 2026, month: 10, day: 9 });
  assert.equal(parseDate(""), undefined);
  assert.equal(parseDate("9.10.2026"), undefined);
});

test("durations read as people say them", () => {
  assert.equal(formatDuration(15), "15 s");
  assert.equal(formatDuration(90), "90 s");
  assert.equal(formatDuration(900), "15 min");
  assert.equal(formatDuration(7200), "2 h");
  assert.equal(formatDuration(5400), "90 min");
  assert.equal(formatDuration(9000), "2 h 30 min");
});

test("a typed date is read year first, whatever the browser's language", () => {
  assert.deepEqual(parseDateText("2026-11-30"), { date: { year: 2026, month: 11, day: 30 } });
  assert.deepEqual(parseDateText(" 2026-1-5 "), { date: { year: 2026, month: 1, day: 5 } });
  assert.deepEqual(parseDateText("2026/11/30"), { date: { year: 2026, month: 11, day: 30 } });
  assert.deepEqual(parseDateText("2026.11.30"), { date: { year: 2026, month: 11, day: 30 } });
  assert.deepEqual(parseDateText(""), {});
  assert.deepEqual(parseDateText("   "), {});
});

test("a day-first or month-first date is refused: it reads two ways", () => {
  for (const text of ["11/30/2026", "30/11/2026", "05.01.2026", "5-1-2026"]) {
    assert.equal(
      parseDateText(text).error,
      `${text} reads two ways (day or month first): write it year first, yyyy-mm-dd, e.g. 2026-11-30`,
    );
  }
});

test("text that is no date, or a day that does not exist, says so", () => {
  assert.equal(parseDateText("next week").error, "next week is not a date: write it as yyyy-mm-dd, e.g. 2026-11-30");
  assert.equal(parseDateText("2026-11").error, "2026-11 is not a date: write it as yyyy-mm-dd, e.g. 2026-11-30");
  assert.equal(parseDateText("2027-02-29").error, "2027-02-29: there is no such day (yyyy-mm-dd, e.g. 2026-11-30)");
  assert.equal(parseDateText("2026-13-01").error, "2026-13-01: there is no such day (yyyy-mm-dd, e.g. 2026-11-30)");
  assert.deepEqual(parseDateText("2028-02-29"), { date: { year: 2028, month: 2, day: 29 } });
});
