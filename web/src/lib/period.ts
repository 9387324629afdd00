// Periods the clinic names by its own calendar days ("from 2026-11-01 to
// 2026-11-30", both included), turned into the half-open UTC instants
// [from, to) the API filters on: midnight at the start of the first day and
// midnight after the last, in the clinic's time zone.

import { timestampFromMs, type Timestamp } from "@bufbuild/protobuf/wkt";
import { dayIn, formatDate, formatDateTime, parseDate, type CalendarDate } from "./time";

/**
 * How far `timeZone`'s wall clock is ahead of UTC at `ms` (milliseconds,
 * whole minutes): the clinic's clock as formatDateTime writes it, minus UTC.
 */
export function zoneOffsetMs(ms: number, timeZone: string): number {
  const [date, time] = formatDateTime(new Date(ms), timeZone).split(" ");
  const [year, month, day] = date.split("-").map(Number);
  const [hour, minute] = time.split(":").map(Number);
  return Date.UTC(year, month - 1, day, hour, minute) - Math.floor(ms / 60000) * 60000;
}

/** The instant the clinic's day `d` starts (its local midnight), in ms. */
export function startOfDayMs(d: CalendarDate, timeZone: string): number {
  const wall = Date.UTC(d.year, d.month - 1, d.day);
  // Two passes: the offset at the guess, then at the corrected instant
  // (they differ only when a clock change falls near midnight).
  let ms = wall - zoneOffsetMs(wall, timeZone);
  ms = wall - zoneOffsetMs(ms, timeZone);
  return ms;
}

/** The calendar day after `d`. */
export function nextDay(d: CalendarDate): CalendarDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** `d` moved by `days` (negative: back). */
export function addDays(d: CalendarDate, days: number): CalendarDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** A period as the API takes it; unset ends are open. */
export interface Period {
  from?: Timestamp;
  to?: Timestamp;
}

/**
 * The period of the days `fromDay`..`toDay` (input values "YYYY-MM-DD",
 * both included; "" = open-ended) in `timeZone`. Throws an Error naming the
 * field when a day does not parse or the period ends before it starts.
 */
export function periodOfDays(fromDay: string, toDay: string, timeZone: string): Period {
  const from = fromDay.trim() ? parseDate(fromDay.trim()) : undefined;
  if (fromDay.trim() && !from) throw new Error(`From: "${fromDay}" is not a date (YYYY-MM-DD).`);
  const to = toDay.trim() ? parseDate(toDay.trim()) : undefined;
  if (toDay.trim() && !to) throw new Error(`To: "${toDay}" is not a date (YYYY-MM-DD).`);
  if (from && to && formatDate(to) < formatDate(from)) {
    throw new Error(`To (${formatDate(to)}) is before From (${formatDate(from)}).`);
  }
  return {
    from: from ? timestampFromMs(startOfDayMs(from, timeZone)) : undefined,
    to: to ? timestampFromMs(startOfDayMs(nextDay(to), timeZone)) : undefined,
  };
}

/** The last `days` days up to today in `timeZone`, as input values. */
export function lastDays(days: number, now: Date, timeZone: string): { from: string; to: string } {
  const today = dayIn(now, timeZone);
  return { from: formatDate(addDays(today, -(days - 1))), to: formatDate(today) };
}
