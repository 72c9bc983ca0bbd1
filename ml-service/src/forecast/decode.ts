// Model outputs back to money: unscale, keep non-negative series non-negative, never let quantiles cross.
import { futurePeriods, seriesScale, type SeriesInput } from './features';

export interface PeriodQuantiles {
  /** ISO date of the forecast period. */
  period: string;
  p10: number;
  p50: number;
  p90: number;
}

/** Sorted so p10 ≤ p50 ≤ p90 whatever the regressors returned; a series that never went negative stays at ≥ 0. */
export function orderedQuantiles(period: string, [a, b, c]: [number, number, number], floor: number): PeriodQuantiles {
  // The smallest, middle and largest of the three, each raised to the floor (raising keeps their order).
  const middle = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  return { period, p10: Math.max(Math.min(a, b, c), floor), p50: Math.max(middle, floor), p90: Math.max(a, b, c, floor) };
}

/** The floor a forecast may not go under: 0 unless the history itself went negative (refunds). */
export function forecastFloor(values: number[]): number {
  return values.every((value) => value >= 0) ? 0 : Number.NEGATIVE_INFINITY;
}

/** Reads rows `offset .. offset + horizon - 1` of a (possibly batched) model run for this series. */
export function decodeForecast(
  series: SeriesInput,
  horizon: number,
  raw: { p10: Float32Array; p50: Float32Array; p90: Float32Array },
  offset: number,
): PeriodQuantiles[] {
  if (offset < 0 || offset + horizon > raw.p50.length) {
    throw new RangeError(`rows ${offset}..${offset + horizon - 1} are outside the model output (${raw.p50.length} rows)`);
  }
  const scale = seriesScale(series.values);
  const floor = forecastFloor(series.values);
  return futurePeriods(series, horizon).map((period, i) => {
    const row = offset + i;
    const values: [number, number, number] = [raw.p10[row]! * scale, raw.p50[row]! * scale, raw.p90[row]! * scale];
    return orderedQuantiles(period, values, floor);
  });
}
