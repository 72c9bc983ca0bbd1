/**
 * Calendar arithmetic on days written as YYYY-MM-DD. A day is a calendar date, not an instant, so
 * it is computed in UTC; which day it is "today" depends on the user's time zone.
 */
import { localDay } from '../../platform/calendar';

export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

export interface Period {
  start: string;
  /** Inclusive. */
  end: string;
}

const DAY_MS = 86_400_000;

const parse = (day: string) => new Date(`${day}T00:00:00Z`);
const format = (date: Date) => date.toISOString().slice(0, 10);

/** The calendar day of now in a time zone. */
export function today(timeZone: string, now = new Date()): string {
  return localDay(now, timeZone);
}

export function addDays(day: string, days: number): string {
  return format(new Date(parse(day).getTime() + days * DAY_MS));
}

/** The first day of the month `months` after the month of `day`. */
function monthStart(day: string, months = 0): string {
  const date = parse(day);
  return format(new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1)));
}

/** Days from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): number {
  return Math.round((parse(to).getTime() - parse(from).getTime()) / DAY_MS) + 1;
}

/** The day, ISO week (Monday to Sunday) or calendar month that contains `day`. */
export function periodOf(day: string, interval: Interval): Period {
  if (interval === 'day') return { start: day, end: day };
  if (interval === 'week') {
    const start = addDays(day, -((parse(day).getUTCDay() + 6) % 7));
    return { start, end: addDays(start, 6) };
  }
  return { start: monthStart(day), end: addDays(monthStart(day, 1), -1) };
}

/** The period `count` periods after (or before, when negative) the one that contains `day`. */
export function shiftPeriod(day: string, interval: Interval, count: number): Period {
  const { start } = periodOf(day, interval);
  if (interval === 'month') return periodOf(monthStart(start, count), 'month');
  return periodOf(addDays(start, count * (interval === 'week' ? 7 : 1)), interval);
}

/** The starts of every period that overlaps `from`..`to`, in order. */
export function periodStarts(from: string, to: string, interval: Interval): string[] {
  const starts: string[] = [];
  for (let period = periodOf(from, interval); period.start <= to; period = shiftPeriod(period.start, interval, 1)) starts.push(period.start);
  return starts;
}

/** Whether `from`..`to` is exactly one or more whole calendar months; their number if so. */
function wholeMonths(from: string, to: string): number | undefined {
  if (from !== monthStart(from) || to !== periodOf(to, 'month').end) return undefined;
  const [fromYear, fromMonth] = from.split('-').map(Number) as [number, number];
  const [toYear, toMonth] = to.split('-').map(Number) as [number, number];
  return (toYear - fromYear) * 12 + toMonth - fromMonth + 1;
}

/**
 * The period of the same length just before `from`..`to`. Whole calendar months compare with the
 * same number of months before (March with February, not with the 31 days before March); any
 * other range with as many days just before it.
 */
export function previousPeriod(from: string, to: string): Period {
  const months = wholeMonths(from, to);
  if (months !== undefined) return { start: monthStart(from, -months), end: addDays(from, -1) };
  return { start: addDays(from, -daysBetween(from, to)), end: addDays(from, -1) };
}
