import { anonymisedSeries, monthStart, type MonthlySpend } from './training-export';

const GROUP = '0b6f3f0e-2b1c-4d58-9a53-5f1d2b9e8c11';
const USER = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
const FOOD = 'f47ac10b-58cc-4372-a567-0e02b2c3d479';

const spend = (scope: string, category: string | null, month: string, amountMinor: bigint, bills = 1): MonthlySpend => ({ scope, category, month, amountMinor, bills });

describe('anonymisedSeries', () => {
  const rows = [
    spend(GROUP, FOOD, '2026-08-01', 12_345n, 3),
    spend(GROUP, FOOD, '2026-10-01', 500n),
    spend(GROUP, null, '2026-09-01', 7_000n, 2),
    spend(USER, FOOD, '2026-10-01', 999n),
  ];

  it('writes the CSV the trainer reads, one numbered series per scope and category', () => {
    expect(anonymisedSeries(rows, '2026-10-01').csv).toBe(
      [
        'series_id,interval,period,amount',
        's1,month,2026-08-01,12345',
        's1,month,2026-10-01,500',
        's2,month,2026-09-01,7000',
        's3,month,2026-10-01,999',
        's2,month,2026-10-01,0',
        '',
      ].join('\n'),
    );
  });

  it('leaves out every user, group and category id', () => {
    const { csv } = anonymisedSeries(rows, '2026-10-01');
    for (const id of [GROUP, USER, FOOD]) expect(csv).not.toContain(id);
  });

  it('counts the series and the bills behind them', () => {
    expect(anonymisedSeries(rows, '2026-10-01')).toMatchObject({ series: 3, bills: 7 });
  });

  it('runs a series that went quiet to the last month with a zero, so the quiet months count', () => {
    const { csv } = anonymisedSeries([spend(USER, FOOD, '2026-03-01', 100n)], '2026-10-01');
    expect(csv.trim().split('\n').slice(1)).toEqual(['s1,month,2026-03-01,100', 's1,month,2026-10-01,0']);
  });

  it('is only the header without bills', () => {
    expect(anonymisedSeries([], '2026-10-01')).toEqual({ csv: 'series_id,interval,period,amount\n', series: 0, bills: 0 });
  });
});

describe('monthStart', () => {
  it("gives the first day of the instant's month in UTC, or of a month before it", () => {
    expect(monthStart(new Date('2026-11-25T23:59:00Z'))).toBe('2026-11-01');
    expect(monthStart(new Date('2026-01-01T00:00:00Z'), -1)).toBe('2025-12-01');
  });
});
