import { create } from '@bufbuild/protobuf';
import { DetectAnomaliesRequestSchema, ForecastRequestSchema, Interval, Quantile, type ForecastRequest } from '@spendcast/proto';
import { InvalidArgument, parseDetectAnomaliesRequest, parseForecastRequest } from './requests';

const limits = { maxBatch: 3, maxHorizon: 12 };

function request(overrides: Partial<Omit<ForecastRequest, '$typeName'>> = {}): ForecastRequest {
  return create(ForecastRequestSchema, {
    series: [{ id: 'groceries', interval: Interval.MONTH, firstPeriod: '2024-01-01', values: [10, 12, 11] }],
    horizon: 3,
    ...overrides,
  });
}

function rejection(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    if (error instanceof InvalidArgument) return error.message;
    throw error;
  }
  throw new Error('expected an InvalidArgument');
}

describe('parseForecastRequest', () => {
  it('turns a valid request into the core series, all three quantiles when none are asked for', () => {
    expect(parseForecastRequest(request(), limits)).toEqual({
      series: [{ id: 'groceries', interval: 'month', firstPeriod: '2024-01-01', values: [10, 12, 11] }],
      horizon: 3,
      quantiles: ['p10', 'p50', 'p90'],
    });
  });

  it('keeps only the quantiles asked for, once each', () => {
    expect(parseForecastRequest(request({ quantiles: [Quantile.P50, Quantile.P50, Quantile.P90] }), limits).quantiles).toEqual(['p50', 'p90']);
  });

  it('accepts weekly series starting on a Monday', () => {
    const weekly = request({ series: [{ $typeName: 'spendcast.ml.v1.Series', id: 'w', interval: Interval.WEEK, firstPeriod: '2024-01-01', values: [1] }] });
    expect(parseForecastRequest(weekly, limits).series[0]!.interval).toBe('week');
  });

  it.each([
    ['no series', request({ series: [] }), 'series: at least one is required'],
    ['more series than the batch limit', request({ series: Array(4).fill(request().series[0]) }), 'series: at most 3 per call, got 4'],
    ['a zero horizon', request({ horizon: 0 }), 'horizon: must be from 1 to 12, got 0'],
    ['a horizon over the limit', request({ horizon: 13 }), 'horizon: must be from 1 to 12, got 13'],
    ['an unspecified quantile', request({ quantiles: [Quantile.UNSPECIFIED] }), 'quantiles[0]: must be P10, P50 or P90, got 0'],
  ])('rejects %s', (_, invalid, message) => {
    expect(rejection(() => parseForecastRequest(invalid, limits))).toBe(message);
  });

  it.each([
    ['empty values', { values: [] }, 'series[0] (id "groceries").values: must not be empty'],
    ['a NaN value', { values: [1, Number.NaN] }, 'series[0] (id "groceries").values[1]: must be a finite number, got NaN'],
    ['an infinite value', { values: [Number.POSITIVE_INFINITY] }, 'series[0] (id "groceries").values[0]: must be a finite number, got Infinity'],
    ['no interval', { interval: Interval.UNSPECIFIED }, 'series[0] (id "groceries").interval: must be WEEK or MONTH'],
    ['a first period that is not a date', { firstPeriod: 'January' }, 'series[0] (id "groceries").first_period: not an ISO date: January'],
    ['a first period in mid-month', { firstPeriod: '2024-01-15' }, 'series[0] (id "groceries").first_period: 2024-01-15 does not start a month'],
  ])('rejects a series with %s, naming it', (_, change, message) => {
    const invalid = request({ series: [{ ...request().series[0]!, ...change }] });
    expect(rejection(() => parseForecastRequest(invalid, limits))).toBe(message);
  });
});

describe('parseDetectAnomaliesRequest', () => {
  const item = { id: 'b1', amount: 12.5, categoryId: 'c1', categoryName: 'Groceries', payee: ' Tesco ' };

  it('trims payees and names the category by its id when it has no name', () => {
    const parsed = parseDetectAnomaliesRequest(create(DetectAnomaliesRequestSchema, { items: [item, { ...item, id: 'b2', categoryName: '' }] }), { maxItems: 5 });
    expect(parsed).toEqual([
      { id: 'b1', amount: 12.5, categoryId: 'c1', categoryName: 'Groceries', payee: 'Tesco' },
      { id: 'b2', amount: 12.5, categoryId: 'c1', categoryName: 'c1', payee: 'Tesco' },
    ]);
  });

  it.each([
    ['no items', [], 'items: at least one is required'],
    ['too many items', [item, item], 'items: at most 1 per call, got 2'],
    ['a negative amount', [{ ...item, amount: -1 }], 'items[0] (id "b1").amount: must be a finite number ≥ 0, got -1'],
    ['a NaN amount', [{ ...item, amount: Number.NaN }], 'items[0] (id "b1").amount: must be a finite number ≥ 0, got NaN'],
    ['no category', [{ ...item, categoryId: '' }], 'items[0] (id "b1").category_id: must not be empty'],
  ])('rejects %s', (_, items, message) => {
    expect(rejection(() => parseDetectAnomaliesRequest(create(DetectAnomaliesRequestSchema, { items }), { maxItems: 1 }))).toBe(message);
  });
});
