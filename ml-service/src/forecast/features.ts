// Model input rows, exactly as FEATURES.md specifies and `spendcast_forecast/features.py` computes them.
import { type ModelMetadata } from './metadata';
import { type Interval, periodsFrom, positionsFrom, seasonLength } from './periods';

export interface SeriesInput {
  id: string;
  interval: Interval;
  /** ISO date: the first day of the month, or the Monday of the ISO week. */
  firstPeriod: string;
  values: number[];
}

export const FEATURE_SPEC_VERSION = 2;
const LAGS = 12;
const SEASONAL_YEARS = 3;
const MAX_HISTORY_YEARS = 3;

export const FEATURE_NAMES: readonly string[] = [
  ...Array.from({ length: LAGS }, (_, i) => `lag_${i + 1}`),
  'mean_3',
  'mean_6',
  'mean_season',
  'std_season',
  'zero_share_season',
  'periods_since_nonzero',
  'seasonal_lag',
  'seasonal_mean',
  'horizon',
  'position_in_year',
  'is_weekly',
  'history_years',
  // Spec 2, appended so the first 24 keep their places: levels over a quarter and a half of the season (13 and
  // 26 weeks reach past the 12 lags) and their medians, which one large purchase does not move.
  'mean_quarter',
  'mean_half',
  'median_quarter',
  'median_half',
];

function lastN(values: number[], count: number): number[] {
  return values.slice(Math.max(0, values.length - count));
}

/** The mean of `of` over the last `count` values (all, if fewer), summed in order without copying them: this runs for every series of a batch. */
function meanOfLast(values: number[], count: number, of: (value: number) => number = (value) => value): number {
  const from = Math.max(0, values.length - count);
  let sum = 0;
  for (let i = from; i < values.length; i++) sum += of(values[i]!);
  return sum / (values.length - from);
}

/** The middle value, or the mean of the two middle values, as numpy's median. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Everything is divided by this so one model serves series of any size; see FEATURES.md "Scaling". */
export function seriesScale(values: number[]): number {
  const recent = meanOfLast(values, LAGS, Math.abs);
  if (recent > 0) return recent;
  const overall = values.length > 0 ? meanOfLast(values, values.length, Math.abs) : 0;
  return overall > 0 ? overall : 1;
}

/** ISO dates of the `horizon` periods after the last observed one. */
export function futurePeriods(series: SeriesInput, horizon: number): string[] {
  return periodsFrom(series.firstPeriod, series.interval, series.values.length, horizon);
}

/** A model trained on other features than this code computes: nothing here can feed it. */
export class FeatureSpecMismatch extends Error {
  constructor(metadata: ModelMetadata) {
    super(`model ${metadata.name}@${metadata.version} expects feature spec ${metadata.featureSpecVersion} (${metadata.featureNames.length} features); serving computes ${FEATURE_SPEC_VERSION}`);
    this.name = 'FeatureSpecMismatch';
  }
}

/** Throws FeatureSpecMismatch unless the model was trained on the features this code computes. */
export function assertFeatureSpec(metadata: ModelMetadata): void {
  const { featureSpecVersion, featureNames } = metadata;
  if (featureSpecVersion !== FEATURE_SPEC_VERSION || featureNames.length !== FEATURE_NAMES.length || featureNames.some((name, i) => name !== FEATURE_NAMES[i])) {
    throw new FeatureSpecMismatch(metadata);
  }
}

/** Features that depend on the history only, in FEATURE_NAMES order (lag_1 .. periods_since_nonzero). */
function historyFeatures(values: number[], season: number, scale: number): number[] {
  const count = values.length;
  const lags = Array.from({ length: LAGS }, (_, i) => (i < count ? values[count - 1 - i]! / scale : Number.NaN));
  const yearMean = meanOfLast(values, season);
  const yearStd = Math.sqrt(meanOfLast(values, season, (value) => (value - yearMean) ** 2));
  const lastNonzero = values.findLastIndex((value) => value !== 0);
  const sinceNonzero = lastNonzero < 0 ? season : Math.min(count - 1 - lastNonzero, season);
  return [
    ...lags,
    meanOfLast(values, 3) / scale,
    meanOfLast(values, 6) / scale,
    yearMean / scale,
    yearStd / scale,
    meanOfLast(values, season, (value) => (value === 0 ? 1 : 0)),
    sinceNonzero,
  ];
}

/** Level features over the last quarter and half of a season, in FEATURE_NAMES order (mean_quarter .. median_half). */
function levelFeatures(values: number[], season: number, scale: number): number[] {
  const [quarter, half] = [Math.floor(season / 4), Math.floor(season / 2)];
  return [meanOfLast(values, quarter) / scale, meanOfLast(values, half) / scale, median(lastN(values, quarter)) / scale, median(lastN(values, half)) / scale];
}

/** Features of the target period `horizon` steps ahead, in FEATURE_NAMES order (seasonal_lag .. history_years). */
function targetFeatures(series: SeriesInput, horizon: number, positionInYear: number, season: number, scale: number): number[] {
  const { values, interval } = series;
  const target = values.length - 1 + horizon;
  // The same period in each of the last SEASONAL_YEARS years that the history reaches (a loop: this runs
  // for every row of a batch).
  let sameSeasonSum = 0;
  let sameSeasonCount = 0;
  for (let index = target - season; index >= 0 && sameSeasonCount < SEASONAL_YEARS; index -= season) {
    sameSeasonSum += values[index]!;
    sameSeasonCount += 1;
  }
  return [
    target - season >= 0 ? values[target - season]! / scale : Number.NaN,
    sameSeasonCount > 0 ? sameSeasonSum / sameSeasonCount / scale : Number.NaN,
    horizon,
    positionInYear,
    interval === 'week' ? 1 : 0,
    Math.min(values.length, MAX_HISTORY_YEARS * season) / season,
  ];
}

/** `horizon` rows of FEATURE_NAMES.length float32 features, row-major, for the periods after the history. */
export function featureRows(series: SeriesInput, horizon: number, metadata: ModelMetadata): Float32Array {
  assertFeatureSpec(metadata);
  if (series.values.length === 0) throw new RangeError(`series ${series.id} has no history`);
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > metadata.maxHorizon) {
    throw new RangeError(`horizon ${horizon} is outside 1..${metadata.maxHorizon}`);
  }
  const season = seasonLength(series.interval);
  const scale = seriesScale(series.values);
  const shared = historyFeatures(series.values, season, scale);
  const levels = levelFeatures(series.values, season, scale);
  const rows = new Float32Array(horizon * FEATURE_NAMES.length);
  positionsFrom(series.firstPeriod, series.interval, series.values.length, horizon).forEach((position, i) => {
    const offset = i * FEATURE_NAMES.length;
    const target = targetFeatures(series, i + 1, position, season, scale);
    rows.set(shared, offset);
    rows.set(target, offset + shared.length);
    rows.set(levels, offset + shared.length + target.length);
  });
  return rows;
}
