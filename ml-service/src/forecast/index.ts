// The pure forecasting core: what the gRPC handlers call around an ONNX run. No I/O here.
import { type SeriesInput } from './features';
import { type ModelMetadata } from './metadata';

export { decodeForecast, type PeriodQuantiles } from './decode';
export { fallbackForecast } from './fallback';
export { assertFeatureSpec, FEATURE_NAMES, FeatureSpecMismatch, FEATURE_SPEC_VERSION, featureRows, type SeriesInput } from './features';
export { modelMetadataSchema, type ModelMetadata } from './metadata';
export { assertPeriodStart, type Interval } from './periods';

/** False when the model was not trained for this interval or the history is too short: use `fallbackForecast`. */
export function usesModel(series: SeriesInput, metadata: ModelMetadata): boolean {
  const minHistory = metadata.minHistory[series.interval];
  return metadata.intervals.includes(series.interval) && minHistory !== undefined && series.values.length >= minHistory;
}
