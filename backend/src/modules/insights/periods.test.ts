import { daysBetween, periodOf, periodStarts, previousPeriod, shiftPeriod, today } from './periods';

describe('periods', () => {
  it('starts weeks on Monday (ISO), also across a year boundary', () => {
    expect(periodOf('2026-01-01', 'week')).toEqual({ start: '2025-12-29', end: '2026-01-04' });
    expect(periodOf('2026-03-16', 'week')).toEqual({ start: '2026-03-16', end: '2026-03-22' });
    expect(periodOf('2026-03-22', 'week')).toEqual({ start: '2026-03-16', end: '2026-03-22' });
  });

  it('knows the length of every month, leap years included', () => {
    expect(periodOf('2028-02-10', 'month')).toEqual({ start: '2028-02-01', end: '2028-02-29' });
    expect(periodOf('2026-02-10', 'month')).toEqual({ start: '2026-02-01', end: '2026-02-28' });
    expect(periodOf('2026-12-31', 'month')).toEqual({ start: '2026-12-01', end: '2026-12-31' });
  });

  it('shifts by whole periods', () => {
    expect(shiftPeriod('2026-03-31', 'month', -1)).toEqual({ start: '2026-02-01', end: '2026-02-28' });
    expect(shiftPeriod('2026-01-15', 'month', -11)).toEqual({ start: '2025-02-01', end: '2025-02-28' });
    expect(shiftPeriod('2026-01-01', 'week', 1)).toEqual({ start: '2026-01-05', end: '2026-01-11' });
    expect(shiftPeriod('2026-01-01', 'day', -1)).toEqual({ start: '2025-12-31', end: '2025-12-31' });
  });

  it('lists the starts of the periods that overlap a range', () => {
    expect(periodStarts('2026-01-30', '2026-03-01', 'month')).toEqual(['2026-01-01', '2026-02-01', '2026-03-01']);
    expect(periodStarts('2026-01-01', '2026-01-12', 'week')).toEqual(['2025-12-29', '2026-01-05', '2026-01-12']);
    expect(periodStarts('2026-01-30', '2026-02-02', 'day')).toEqual(['2026-01-30', '2026-01-31', '2026-02-01', '2026-02-02']);
  });

  it('compares whole months with the months before and other ranges with as many days before', () => {
    expect(previousPeriod('2026-03-01', '2026-03-31')).toEqual({ start: '2026-02-01', end: '2026-02-28' });
    expect(previousPeriod('2026-01-01', '2026-03-31')).toEqual({ start: '2025-10-01', end: '2025-12-31' });
    expect(previousPeriod('2026-03-10', '2026-03-19')).toEqual({ start: '2026-02-28', end: '2026-03-09' });
    expect(daysBetween('2026-03-10', '2026-03-19')).toBe(10);
  });

  it('takes today in the user’s time zone', () => {
    const instant = new Date('2026-03-31T23:30:00Z');
    expect(today('UTC', instant)).toBe('2026-03-31');
    expect(today('Europe/Berlin', instant)).toBe('2026-04-01');
    expect(today('America/New_York', instant)).toBe('2026-03-31');
  });
});
