// Turns Forecaster requests into the core's inputs, rejecting what it cannot answer with a message
// that names the field, as the caller wrote it in the .proto.
import { Interval, Quantile, type DetectAnomaliesRequest, type ForecastRequest } from '@spendcast/proto';
import { assertPeriodStart, type Interval as SeriesInterval, type SeriesInput } from '../forecast';
import type { Bill } from './anomalies';

/** The request cannot be answered as asked; the message says why. */
export class InvalidArgument extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidArgument';
  }
}

export type QuantileName = 'p10' | 'p50' | 'p90';

export interface ForecastQuery {
  series: SeriesInput[];
  horizon: number;
  quantiles: QuantileName[];
}

const INTERVALS: Partial<Record<Interval, SeriesInterval>> = { [Interval.WEEK]: 'week', [Interval.MONTH]: 'month' };
const QUANTILES: Partial<Record<Quantile, QuantileName>> = { [Quantile.P10]: 'p10', [Quantile.P50]: 'p50', [Quantile.P90]: 'p90' };

export function parseForecastRequest(request: ForecastRequest, limits: { maxBatch: number; maxHorizon: number }): ForecastQuery {
  requireCount('series', request.series.length, limits.maxBatch);
  if (request.horizon < 1 || request.horizon > limits.maxHorizon) {
    throw new InvalidArgument(`horizon: must be from 1 to ${limits.maxHorizon}, got ${request.horizon}`);
  }
  const quantiles = request.quantiles.map((quantile, index) => {
    const name = QUANTILES[quantile];
    if (!name) throw new InvalidArgument(`quantiles[${index}]: must be P10, P50 or P90, got ${quantile}`);
    return name;
  });
  const series = request.series.map((item, index): SeriesInput => {
    const field = `series[${index}] (id ${JSON.stringify(item.id)})`;
    const interval = INTERVALS[item.interval];
    if (!interval) throw new InvalidArgument(`${field}.interval: must be WEEK or MONTH`);
    if (item.values.length === 0) throw new InvalidArgument(`${field}.values: must not be empty`);
    const bad = item.values.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) throw new InvalidArgument(`${field}.values[${bad}]: must be a finite number, got ${item.values[bad]}`);
    try {
      assertPeriodStart(item.firstPeriod, interval);
    } catch (error) {
      throw new InvalidArgument(`${field}.first_period: ${(error as Error).message}`);
    }
    return { id: item.id, interval, firstPeriod: item.firstPeriod, values: item.values };
  });
  return { series, horizon: request.horizon, quantiles: quantiles.length > 0 ? [...new Set(quantiles)] : ['p10', 'p50', 'p90'] };
}

export function parseDetectAnomaliesRequest(request: DetectAnomaliesRequest, limits: { maxItems: number }): Bill[] {
  requireCount('items', request.items.length, limits.maxItems);
  return request.items.map((item, index) => {
    const field = `items[${index}] (id ${JSON.stringify(item.id)})`;
    if (!Number.isFinite(item.amount) || item.amount < 0) throw new InvalidArgument(`${field}.amount: must be a finite number ≥ 0, got ${item.amount}`);
    if (!item.categoryId) throw new InvalidArgument(`${field}.category_id: must not be empty`);
    return { id: item.id, amount: item.amount, categoryId: item.categoryId, categoryName: item.categoryName || item.categoryId, payee: item.payee.trim() };
  });
}

function requireCount(field: string, count: number, max: number): void {
  if (count === 0) throw new InvalidArgument(`${field}: at least one is required`);
  if (count > max) throw new InvalidArgument(`${field}: at most ${max} per call, got ${count}`);
}
