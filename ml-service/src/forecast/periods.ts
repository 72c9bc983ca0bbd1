// Period arithmetic on ISO dates in UTC, so a server's time zone never shifts a period.
// The Python twin is `spendcast_forecast/periods.py`; FEATURES.md states the rules.

export type Interval = 'month' | 'week';

const DAY_MS = 86_400_000;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(iso: string): Date {
  const date = new Date(`${iso}T00:00:00Z`);
  if (!ISO_DATE.test(iso) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso) {
    throw new RangeError(`not an ISO date: ${iso}`);
  }
  return date;
}

/** Throws unless `iso` starts a period: the first of a month, or the Monday of an ISO week. */
export function assertPeriodStart(iso: string, interval: Interval): void {
  const date = parseDate(iso);
  const starts = interval === 'month' ? date.getUTCDate() === 1 : date.getUTCDay() === 1;
  if (!starts) throw new RangeError(`${iso} does not start a ${interval}`);
}

/** The period `count` periods after `iso` (which must start a period). */
export function addPeriods(iso: string, interval: Interval, count: number): string {
  return isoDate(shift(parseDate(iso), interval, count));
}

/** Month of the year (1–12) for months, ISO week number (1–53) for weeks. */
export function positionInYear(iso: string, interval: Interval): number {
  return position(parseDate(iso), interval);
}

/** `addPeriods(iso, interval, first + i)` for i in 0 … count − 1, parsing `iso` once. */
export function periodsFrom(iso: string, interval: Interval, first: number, count: number): string[] {
  const start = parseDate(iso);
  return Array.from({ length: count }, (_, i) => isoDate(shift(start, interval, first + i)));
}

/** The `positionInYear` of each of `periodsFrom(iso, interval, first, count)`. */
export function positionsFrom(iso: string, interval: Interval, first: number, count: number): number[] {
  const start = parseDate(iso);
  return Array.from({ length: count }, (_, i) => position(shift(start, interval, first + i), interval));
}

function shift(date: Date, interval: Interval, count: number): Date {
  if (interval === 'week') return new Date(date.getTime() + count * 7 * DAY_MS);
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + count, 1));
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function position(date: Date, interval: Interval): number {
  if (interval === 'month') return date.getUTCMonth() + 1;
  // ISO 8601: a week belongs to the year of its Thursday.
  const thursday = new Date(date.getTime() + (3 - ((date.getUTCDay() + 6) % 7)) * DAY_MS);
  const januaryFirst = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  return 1 + Math.floor((thursday.getTime() - januaryFirst) / DAY_MS / 7);
}

/** Periods in a year: the seasonal lag. */
export function seasonLength(interval: Interval): number {
  return interval === 'month' ? 12 : 52;
}
