import { testModelMetadata } from '../../test/support/model-metadata';
import { decodeForecast, FEATURE_SPEC_VERSION, featureRows, type SeriesInput, usesModel } from './index';
import { assertPeriodStart, periodsFrom, positionsFrom } from './periods';

const metadata = testModelMetadata(6);

const months = (count: number): SeriesInput => ({ id: 's', interval: 'month', firstPeriod: '2020-01-01', values: Array.from({ length: count }, (_, i) => 100 + i) });

describe('usesModel', () => {
  it('sends histories from minHistory on to the model and shorter ones to the fallback', () => {
    expect(usesModel(months(6), metadata)).toBe(true);
    expect(usesModel(months(5), metadata)).toBe(false);
  });

  it('sends an interval the model was not trained for to the fallback', () => {
    expect(usesModel({ ...months(24), interval: 'week', firstPeriod: '2020-01-06' }, metadata)).toBe(false);
  });
});

describe('featureRows', () => {
  it('refuses a model built for another feature spec', () => {
    expect(() => featureRows(months(12), 3, { ...metadata, featureSpecVersion: FEATURE_SPEC_VERSION + 1 })).toThrow(/feature spec/);
  });

  it('refuses horizons beyond what the model was trained for', () => {
    expect(() => featureRows(months(12), 7, metadata)).toThrow(RangeError);
  });

  it('refuses a first period that does not start its interval', () => {
    expect(() => featureRows({ ...months(12), firstPeriod: '2020-01-15' }, 3, metadata)).toThrow(/does not start a month/);
    expect(() => featureRows({ ...months(12), interval: 'week', firstPeriod: '2020-01-07' }, 3, metadata)).toThrow(/does not start a week/);
  });
});

describe('decodeForecast', () => {
  it('refuses rows outside the model output', () => {
    const raw = { p10: new Float32Array(3), p50: new Float32Array(3), p90: new Float32Array(3) };
    expect(() => decodeForecast(months(12), 3, raw, 1)).toThrow(RangeError);
  });
});

describe('periods', () => {
  it('counts ISO weeks by their Thursday, including week 53', () => {
    expect(positionsFrom('2020-12-21', 'week', 1, 3)).toEqual([53, 1, 2]);
    expect(positionsFrom('2019-12-30', 'week', 0, 1)).toEqual([1]);
  });

  it('adds months across year ends and weeks across leap days', () => {
    expect(periodsFrom('2021-11-01', 'month', 3, 1)).toEqual(['2022-02-01']);
    expect(periodsFrom('2024-02-26', 'week', 1, 1)).toEqual(['2024-03-04']);
  });

  it('agrees with Date arithmetic on every period start from 1996 to 2034', () => {
    const day = 86_400_000;
    const isoWeek = (date: Date) => {
      const thursday = new Date(date.getTime() + (3 - ((date.getUTCDay() + 6) % 7)) * day);
      return 1 + Math.floor((thursday.getTime() - Date.UTC(thursday.getUTCFullYear(), 0, 1)) / day / 7);
    };
    const dated = (date: Date) => ({ iso: date.toISOString().slice(0, 10), month: date.getUTCMonth() + 1, week: isoWeek(date) });
    for (let month = 0; month < 12 * 38; month += 1) {
      const first = new Date(Date.UTC(1996, month, 1)).toISOString().slice(0, 10);
      const expected = Array.from({ length: 30 }, (_, k) => dated(new Date(Date.UTC(1996, month + 5 + k, 1))));
      expect(periodsFrom(first, 'month', 5, 30)).toEqual(expected.map((period) => period.iso));
      expect(positionsFrom(first, 'month', 5, 30)).toEqual(expected.map((period) => period.month));
    }
    for (let monday = Date.UTC(1996, 0, 1); monday < Date.UTC(2034, 0, 1); monday += 7 * day) {
      const first = new Date(monday).toISOString().slice(0, 10);
      const expected = Array.from({ length: 8 }, (_, k) => dated(new Date(monday + (52 + k) * 7 * day)));
      expect(periodsFrom(first, 'week', 52, 8)).toEqual(expected.map((period) => period.iso));
      expect(positionsFrom(first, 'week', 52, 8)).toEqual(expected.map((period) => period.week));
    }
  });

  it('refuses dates that do not exist or do not start a period', () => {
    expect(() => assertPeriodStart('2023-02-29', 'month')).toThrow(/not an ISO date/);
    expect(() => assertPeriodStart('2023-13-01', 'month')).toThrow(/not an ISO date/);
    expect(() => assertPeriodStart('2023-1-01', 'month')).toThrow(/not an ISO date/);
    expect(() => assertPeriodStart('2024-02-29', 'week')).toThrow(/does not start a week/);
    expect(() => assertPeriodStart('2024-02-02', 'month')).toThrow(/does not start a month/);
    expect(() => assertPeriodStart('2024-02-26', 'week')).not.toThrow();
    expect(() => assertPeriodStart('2000-02-29', 'week')).toThrow(/does not start a week/);
  });
});
