// Dates and times as the clinic reads them: in the clinic's time zone (from
// sign-in), written like the CLI and the PDFs write them ("2026-11-24 11:00").

import { timestampDate, type Timestamp } from "@bufbuild/protobuf/wkt";

/** A calendar date as in common.proto's Date (no time zone). */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** "YYYY-MM-DD HH:MM" of `when` in `timeZone` (an IANA name). */
export function formatDateTime(when: Date, timeZone: string): string {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(when)) parts[p.type] = p.value;
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** formatDateTime of a protobuf Timestamp; "" when unset. */
export function formatTimestamp(ts: Timestamp | undefined, timeZone: string): string {
  return ts ? formatDateTime(timestampDate(ts), timeZone) : "";
}

/** "YYYY-MM-DD" of `when` in `timeZone`: the clinic's today. */
export function dayIn(when: Date, timeZone: string): CalendarDate {
  const [date] = formatDateTime(when, timeZone).split(" ");
  const [year, month, day] = date.split("-").map(Number);
  return { year, month, day };
}

/** "YYYY-MM-DD"; "" for an unset date. */
export function formatDate(d: CalendarDate | undefined): string {
  if (!d || d.year === 0) return "";
  const pad = (n: number, w: number) => String(n).padStart(w, "0");
  return `${pad(d.year, 4)}-${pad(d.month, 2)}-${pad(d.day, 2)}`;
}

/** Parses an <input type="date"> value ("YYYY-MM-DD"); undefined when empty. */
export function parseDate(value: string): CalendarDate | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** How every date field asks for a date, whatever the browser's language. */
export const DATE_FORMAT_HINT = "yyyy-mm-dd, e.g. 2026-11-30";

/**
 * A date typed into a date field: year first ("2026-11-30"; "2026-1-5" and
 * "/" or "." between the parts are read too). `date` is undefined for an
 * empty field; `error` says what is wrong with anything else — a day-first
 * or month-first date ("30/11/2026", "11/30/2026") is refused, since it
 * reads two ways.
 */
export function parseDateText(text: string): { date?: CalendarDate; error?: string } {
  const t = text.trim();
  if (t === "") return {};
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (!m) {
    const yearLast = /^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}$/.test(t);
    return {
      error: yearLast
        ? `${t} reads two ways (day or month first): write it year first, ${DATE_FORMAT_HINT}`
        : `${t} is not a date: write it as ${DATE_FORMAT_HINT}`,
    };
  }
  const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  const check = new Date(Date.UTC(date.year, date.month - 1, date.day));
  if (
    date.month < 1 ||
    date.month > 12 ||
    check.getUTCFullYear() !== date.year ||
    check.getUTCMonth() !== date.month - 1 ||
    check.getUTCDate() !== date.day
  ) {
    return { error: `${t}: there is no such day (${DATE_FORMAT_HINT})` };
  }
  return { date };
}

/** A duration for people: "45 s", "15 min", "2 h", "1 h 30 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return `${s} s`;
  const min = Math.round(s / 60);
  if (min < 120) return `${min} min`;
  const h = Math.floor(min / 60);
  const rest = min % 60;
  return rest === 0 ? `${h} h` : `${h} h ${rest} min`;
}
