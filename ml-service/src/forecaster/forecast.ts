import { decodeForecast, FEATURE_NAMES, fallbackForecast, featureRows, usesModel, type PeriodQuantiles } from '../forecast';
import type { OnnxModel } from '../model/onnx-model';
import type { ForecastQuery } from './requests';

export type SeriesForecast = { id: string; periods: PeriodQuantiles[] } & ({ method: 'model' } | { method: 'fallback'; fallback: string });

/** Lets a long call stop between steps once its caller has given up. */
export interface Checkpoint {
  throwIfExpired(): void;
}

/**
 * Every series long enough for the model goes into ONE onnxruntime run (batched rows cost far less
 * than a run per series); the others get the core's fallback, which says which method it used.
 */
export async function forecast(query: ForecastQuery, model: Pick<OnnxModel, 'metadata' | 'predict'>, checkpoint: Checkpoint): Promise<SeriesForecast[]> {
  const { horizon } = query;
  const modelled = query.series.filter((series) => usesModel(series, model.metadata));
  const width = horizon * FEATURE_NAMES.length;
  const rows = new Float32Array(modelled.length * width);
  modelled.forEach((series, index) => rows.set(featureRows(series, horizon, model.metadata), index * width));
  checkpoint.throwIfExpired();
  const quantiles = modelled.length > 0 ? await model.predict(rows) : undefined;
  checkpoint.throwIfExpired();

  const offsets = new Map(modelled.map((series, index) => [series, index * horizon]));
  return query.series.map((series): SeriesForecast => {
    const offset = offsets.get(series);
    if (quantiles && offset !== undefined) return { id: series.id, method: 'model', periods: decodeForecast(series, horizon, quantiles, offset) };
    const { method, periods } = fallbackForecast(series, horizon);
    return { id: series.id, method: 'fallback', fallback: method, periods };
  });
}
