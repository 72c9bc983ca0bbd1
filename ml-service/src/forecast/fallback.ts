// What short histories get instead of the model; `spendcast_forecast/fallback.py` is its reference.
import { orderedQuantiles, forecastFloor, type PeriodQuantiles } from './decode';
import { futurePeriods, type SeriesInput } from './features';

const WINDOW = 12;

/** Linear interpolation between order statistics (numpy's default `quantile` method). */
function quantile(sorted: number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (position - below);
}

/**
 * A flat forecast from the last (up to) 12 periods: their mean as p50 and their 10th/90th percentiles
 * as the range. No history at all forecasts zero.
 */
export function fallbackForecast(series: SeriesInput, horizon: number): { method: string; periods: PeriodQuantiles[] } {
  const hasHistory = series.values.length > 0;
  const values: [number, number, number] = hasHistory ? recentRange(series.values) : [0, 0, 0];
  const floor = forecastFloor(series.values);
  return { method: hasHistory ? 'recent-mean' : 'no-history', periods: futurePeriods(series, horizon).map((period) => orderedQuantiles(period, values, floor)) };
}

/** The 10th percentile, mean and 90th percentile of the last WINDOW values. */
function recentRange(history: number[]): [number, number, number] {
  const recent = history.slice(-WINDOW);
  const sorted = [...recent].sort((a, b) => a - b);
  const level = recent.reduce((sum, value) => sum + value, 0) / recent.length;
  return [quantile(sorted, 0.1), level, quantile(sorted, 0.9)];
}
