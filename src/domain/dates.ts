/**
 * Calendar dates (a regulator's "by 1 July 2024") are `YYYY-MM-DD` strings with no time zone.
 * They compare correctly as strings. Instants are ISO strings in UTC.
 */
export type CalendarDate = string;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // Year 0000 does not exist for PostgreSQL's date type (1 BC is written 0001-12-31 BC).
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Whole days from `a` to `b` (positive when b is later). */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** Today's calendar date in an IANA time zone. */
export function todayIn(timeZone: string, now: Date = new Date()): CalendarDate {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** The same day `months` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const day = Math.min(d, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The day `days` after `date` (before, when negative). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

const INSTANT_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * An instant written with its offset (`2024-04-01T00:00+09:00`, `2024-03-31T15:00:00Z`), or
 * undefined: a time without an offset names no instant, and is refused rather than guessed.
 */
export function parseInstant(value: string): Date | undefined {
  const m = INSTANT_RE.exec(value);
  if (!m || !isCalendarDate(m[1]!)) return undefined;
  const [h, min, s] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (h > 23 || min > 59 || s > 59) return undefined;
  const offset = m[6]!;
  if (offset !== 'Z' && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4, 6)) > 59))
    return undefined;
  const t = Date.parse(value);
  // Within the calendar the database and the day arithmetic know, whatever the offset did to it.
  if (Number.isNaN(t) || t < Date.UTC(1, 0, 2) || t > Date.UTC(9999, 11, 30)) return undefined;
  return new Date(t);
}

/** Milliseconds the zone's clock is ahead of UTC at an instant. */
export function zoneOffset(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return (
    Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second')) - (at - (at % 1000))
  );
}

/** The instant a zone's wall clock shows `hour`:00 on a day (the later reading when a clock change repeats it). */
export function zonedInstant(day: CalendarDate, hour: number, timeZone: string): Date {
  const wall = Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00Z`);
  let t = wall - zoneOffset(timeZone, wall);
  t = wall - zoneOffset(timeZone, t);
  return new Date(t);
}

/**
 * A point to look back from: a day (`2024-04-01`: the program's own dated history, as now known,
 * at the end of that day) or an instant (`2024-04-01T00:00+09:00`: what the audit log held then).
 */
export type AsOfPoint = { asOf: CalendarDate } | { at: Date };

export function parseAsOf(value: string): AsOfPoint | undefined {
  if (isCalendarDate(value)) return { asOf: value };
  const at = parseInstant(value);
  return at ? { at } : undefined;
}
