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
export function orderedQuantiles(period: string, values: [number, number, number], floor: number): PeriodQuantiles {
  const [p10, p50, p90] = values.map((value) => Math.max(value, floor)).sort((a, b) => a - b) as [number, number, number];
  return { period, p10, p50, p90 };
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
