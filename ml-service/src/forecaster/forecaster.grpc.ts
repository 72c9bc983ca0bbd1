// The Forecaster gRPC service: each handler parses its request, calls one use case, maps the result.
import { create } from '@bufbuild/protobuf';
import { timestampFromDate } from '@bufbuild/protobuf/wkt';
import { status as Status } from '@grpc/grpc-js';
import {
  DetectAnomaliesResponseSchema,
  type Forecaster,
  ForecastResponseSchema,
  GetModelInfoResponseSchema,
  Interval,
  Method,
  type ServiceImplementation,
} from '@spendcast/proto';
import { ModelUnavailable, type ModelHolder } from '../model/model-holder';
import type { OnnxModel } from '../model/onnx-model';
import type { Config } from '../platform/config';
import { unary, type UnaryTools } from '../platform/grpc-call';
import type { Logger } from '../platform/logger';
import type { Metrics } from '../platform/metrics';
import { scoreAnomalies } from './anomalies';
import { forecast, type SeriesForecast } from './forecast';
import { InvalidArgument, parseDetectAnomaliesRequest, parseForecastRequest, type QuantileName } from './requests';

export interface ForecasterDependencies {
  models: ModelHolder;
  limits: Config['limits'];
  logger: Logger;
  metrics: Metrics;
}

export function forecasterService({ models, limits, logger, metrics }: ForecasterDependencies): ServiceImplementation<typeof Forecaster> {
  const tools: UnaryTools = {
    logger,
    metrics,
    statusOf: (error) => (error instanceof InvalidArgument ? Status.INVALID_ARGUMENT : error instanceof ModelUnavailable ? Status.UNAVAILABLE : undefined),
  };

  return {
    forecast: unary('Forecast', tools, (request, deadline) =>
      models.use(async (model) => {
        const query = parseForecastRequest(request, { maxBatch: limits.maxBatch, maxHorizon: maxHorizon(model, limits) });
        const series = await forecast(query, model, deadline);
        recordForecast(metrics, series, query.horizon);
        return create(ForecastResponseSchema, { series: series.map((item) => toSeriesMessage(item, query.quantiles)), model: modelRef(model) });
      }),
    ),

    detectAnomalies: unary('DetectAnomalies', tools, async (request) => {
      const bills = parseDetectAnomaliesRequest(request, { maxItems: limits.maxAnomalyItems });
      return create(DetectAnomaliesResponseSchema, { items: scoreAnomalies(bills) });
    }),

    getModelInfo: unary('GetModelInfo', tools, async () => {
      const model = models.current;
      if (!model) throw new ModelUnavailable();
      const { intervals, minHistory } = model.metadata;
      return create(GetModelInfoResponseSchema, {
        model: modelRef(model),
        source: model.source,
        intervals: intervals.map((interval) => (interval === 'week' ? Interval.WEEK : Interval.MONTH)),
        maxHorizon: maxHorizon(model, limits),
        maxBatch: limits.maxBatch,
        minHistoryWeeks: minHistory.week ?? 0,
        minHistoryMonths: minHistory.month ?? 0,
        loadedAt: timestampFromDate(model.loadedAt),
      });
    }),
  };
}

/** The service's limit, but never beyond the horizons the model was trained for. */
function maxHorizon(model: OnnxModel, limits: Config['limits']): number {
  return Math.min(limits.maxHorizon, model.metadata.maxHorizon);
}

function modelRef(model: OnnxModel) {
  return { name: model.name, version: model.version };
}

function toSeriesMessage(series: SeriesForecast, quantiles: QuantileName[]) {
  return {
    id: series.id,
    method: series.method === 'model' ? Method.MODEL : Method.FALLBACK,
    fallback: series.method === 'fallback' ? series.fallback : '',
    periods: series.periods.map((period) => ({ period: period.period, ...Object.fromEntries(quantiles.map((name) => [name, period[name]])) })),
  };
}

function recordForecast(metrics: Metrics, series: SeriesForecast[], horizon: number): void {
  const modelled = series.filter((item) => item.method === 'model').length;
  metrics.batchSeries.observe(series.length);
  metrics.forecastSeries.inc({ method: 'model' }, modelled);
  metrics.forecastSeries.inc({ method: 'fallback' }, series.length - modelled);
  if (modelled > 0) metrics.inferenceRows.observe(modelled * horizon);
}
