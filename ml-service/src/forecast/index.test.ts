import { testModelMetadata } from '../../test/support/model-metadata';
import { decodeForecast, FEATURE_SPEC_VERSION, featureRows, type SeriesInput, usesModel } from './index';
import { addPeriods, positionInYear } from './periods';

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
    expect(positionInYear('2020-12-28', 'week')).toBe(53);
    expect(positionInYear('2021-01-04', 'week')).toBe(1);
    expect(positionInYear('2019-12-30', 'week')).toBe(1);
  });

  it('adds months across year ends and weeks across leap days', () => {
    expect(addPeriods('2021-11-01', 'month', 3)).toBe('2022-02-01');
    expect(addPeriods('2024-02-26', 'week', 1)).toBe('2024-03-04');
  });
});
