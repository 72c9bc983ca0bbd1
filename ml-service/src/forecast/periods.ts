// Period arithmetic on ISO dates in UTC, so a server's time zone never shifts a period.
// The Python twin is `spendcast_forecast/periods.py`; FEATURES.md states the rules.
//
// A period start is held as one number: a month as year × 12 + month − 1 (as the Python twin adds months),
// a week as the UTC timestamp of its Monday. A batch of a thousand series dates six thousand periods,
// and whole-number months cost no Date objects to step, place in the year or format.

export type Interval = 'month' | 'week';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!;
}

/** The period starting on `iso`; throws unless `iso` is a date that starts a period of this interval. */
function periodStart(iso: string, interval: Interval): number {
  const match = ISO_DATE.exec(iso);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  if (!match || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw new RangeError(`not an ISO date: ${iso}`);
  if (interval === 'month') {
    if (day !== 1) throw new RangeError(`${iso} does not start a month`);
    return year * 12 + month - 1;
  }
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCDay() !== 1) throw new RangeError(`${iso} does not start a week`);
  return date.getTime();
}

function step(start: number, interval: Interval, count: number): number {
  return interval === 'month' ? start + count : start + count * WEEK_MS;
}

function isoDate(start: number, interval: Interval): string {
  if (interval === 'week') return new Date(start).toISOString().slice(0, 10);
  const year = Math.floor(start / 12);
  return `${String(year).padStart(4, '0')}-${String(start - year * 12 + 1).padStart(2, '0')}-01`;
}

function position(start: number, interval: Interval): number {
  if (interval === 'month') return (start % 12) + 1;
  // ISO 8601: a week belongs to the year of its Thursday.
  const thursday = new Date(start + 3 * DAY_MS);
  const januaryFirst = new Date(0);
  januaryFirst.setUTCFullYear(thursday.getUTCFullYear(), 0, 1);
  return 1 + Math.floor((thursday.getTime() - januaryFirst.getTime()) / WEEK_MS);
}

/** Throws unless `iso` starts a period: the first of a month, or the Monday of an ISO week. */
export function assertPeriodStart(iso: string, interval: Interval): void {
  periodStart(iso, interval);
}

/** The ISO dates of the periods `first`, `first + 1`, … `first + count − 1` periods after `iso` (which must start a period). */
export function periodsFrom(iso: string, interval: Interval, first: number, count: number): string[] {
  const start = periodStart(iso, interval);
  return Array.from({ length: count }, (_, i) => isoDate(step(start, interval, first + i), interval));
}

/** For each of `periodsFrom(iso, interval, first, count)`: its month (1–12), or its ISO week number (1–53). */
export function positionsFrom(iso: string, interval: Interval, first: number, count: number): number[] {
  const start = periodStart(iso, interval);
  return Array.from({ length: count }, (_, i) => position(step(start, interval, first + i), interval));
}

/** Periods in a year: the seasonal lag. */
export function seasonLength(interval: Interval): number {
  return interval === 'month' ? 12 : 52;
}
