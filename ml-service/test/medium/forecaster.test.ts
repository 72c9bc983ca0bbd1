import { status as Status, Metadata, type ServiceError } from '@grpc/grpc-js';
import { Interval, Method, Quantile } from '@spendcast/proto';
import { shipped, TestRegistry } from '../support/registry';
import { startTestService } from '../support/ml-service';
import { metric } from '../support/metrics';
import { series } from '../support/series';

const registry = new TestRegistry();
let app: Awaited<ReturnType<typeof startTestService>>;

beforeAll(async () => {
  await registry.create();
  app = await startTestService({ ...registry.env, MAX_BATCH: '20000' });
});

afterAll(async () => {
  await app?.stop();
  await registry.drop();
});

async function rejection(call: Promise<unknown>): Promise<ServiceError> {
  try {
    await call;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the call to fail');
}

async function scrape(): Promise<string> {
  return (await fetch(app.service.metricsUrl)).text();
}

describe('Forecast', () => {
  it('answers 12 series with the model: ordered quantiles for each following month, and the model that made them', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `category-${i}`);
    const response = await app.client.forecast({ series: ids.map((id) => series(id)), horizon: 6 });

    expect(response.model).toMatchObject({ name: shipped.name, version: shipped.version });
    expect(response.series.map((item) => item.id)).toEqual(ids);
    for (const item of response.series) {
      expect(item).toMatchObject({ method: Method.MODEL, fallback: '' });
      // 36 months from January 2024: the history ends in December 2026.
      expect(item.periods.map((period) => period.period)).toEqual(['2027-01-01', '2027-02-01', '2027-03-01', '2027-04-01', '2027-05-01', '2027-06-01']);
      for (const period of item.periods) {
        expect(period.p10).toBeLessThanOrEqual(period.p50!);
        expect(period.p50).toBeLessThanOrEqual(period.p90!);
        expect(period.p50).toBeGreaterThan(0);
      }
    }
  });

  it('gives each series of a batch the answer it gets alone: one run, rows not mixed up', async () => {
    const batch = [series('a', 36), series('b', 30, Interval.WEEK), series('c', 48)].map((item, i) => ({ ...item, values: item.values.map((value) => value * (i + 1)) }));
    const together = await app.client.forecast({ series: batch, horizon: 4 });
    const alone = await Promise.all(batch.map((item) => app.client.forecast({ series: [item], horizon: 4 })));

    together.series.forEach((item, i) => {
      const single = alone[i]!.series[0]!;
      item.periods.forEach((period, p) => {
        for (const quantile of ['p10', 'p50', 'p90'] as const) expect(period[quantile]).toBeCloseTo(single.periods[p]![quantile]!, 3);
      });
    });
  });

  it('returns only the quantiles asked for', async () => {
    const response = await app.client.forecast({ series: [series('only-median')], horizon: 2, quantiles: [Quantile.P50] });
    for (const period of response.series[0]!.periods) {
      expect(period.p50).toEqual(expect.any(Number));
      expect(period.p10).toBeUndefined();
      expect(period.p90).toBeUndefined();
    }
  });

  it('answers a history too short for the model with the stated fallback, beside a modelled series', async () => {
    const short = shipped.metadata.minHistory.month! - 1;
    const response = await app.client.forecast({ series: [series('new-category', short), series('old-category')], horizon: 3 });

    expect(response.series[0]).toMatchObject({ id: 'new-category', method: Method.FALLBACK, fallback: 'recent-mean' });
    expect(response.series[0]!.periods).toHaveLength(3);
    expect(response.series[1]).toMatchObject({ id: 'old-category', method: Method.MODEL });
  });

  it.each([
    ['no series', { series: [], horizon: 3 }, 'series: at least one is required'],
    ['a NaN value', { series: [{ ...series('x'), values: [1, Number.NaN] }], horizon: 3 }, 'series[0] (id "x").values[1]: must be a finite number, got NaN'],
    ['an infinite value', { series: [{ ...series('x'), values: [Number.NEGATIVE_INFINITY] }], horizon: 3 }, 'series[0] (id "x").values[0]: must be a finite number, got -Infinity'],
    ['an empty series', { series: [{ ...series('x'), values: [] }], horizon: 3 }, 'series[0] (id "x").values: must not be empty'],
    ['a horizon over the limit', { series: [series('x')], horizon: 1000 }, `horizon: must be from 1 to ${Math.min(24, shipped.metadata.maxHorizon)}, got 1000`],
    ['no horizon', { series: [series('x')] }, `horizon: must be from 1 to ${Math.min(24, shipped.metadata.maxHorizon)}, got 0`],
  ])('rejects %s with INVALID_ARGUMENT and says why', async (_, request, message) => {
    const error = await rejection(app.client.forecast(request));
    expect(error.code).toBe(Status.INVALID_ARGUMENT);
    expect(error.details).toBe(message);
  });

  it('stops a call whose deadline passes while it is computed, answering DEADLINE_EXCEEDED, and keeps serving', async () => {
    // 5,000 series take the server over a second; the deadline leaves it time to receive the call and start.
    const big = { series: Array.from({ length: 5000 }, (_, i) => series(`s${i}`)), horizon: 6 };
    const exceeded = 'ml_grpc_request_duration_seconds_count{method="Forecast",code="DEADLINE_EXCEEDED"}';
    const succeeded = 'ml_grpc_request_duration_seconds_count{method="Forecast",code="OK"}';
    const before = await scrape();

    const error = await rejection(app.client.forecast(big, { deadline: Date.now() + 300 }));
    expect(error.code).toBe(Status.DEADLINE_EXCEEDED);
    // The client gives up on its own; the server's verdict shows in its metrics once the handler returns.
    let after = await scrape();
    for (let tries = 0; metric(after, exceeded) === metric(before, exceeded) && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await scrape();
    }
    expect(metric(after, exceeded)).toBe(metric(before, exceeded) + 1);
    expect(metric(after, succeeded)).toBe(metric(before, succeeded));
    await expect(app.client.forecast({ series: [series('after')], horizon: 1 })).resolves.toBeDefined();
  });

  it('logs each call with the correlation id the caller sent', async () => {
    const metadata = new Metadata();
    metadata.set('x-correlation-id', 'req-42');
    await app.client.forecast({ series: [series('traced')], horizon: 1 }, { metadata });
    expect(app.logs).toContainEqual(expect.objectContaining({ method: 'Forecast', correlationId: 'req-42', code: 'OK', service: 'spendcast-ml' }));
  });

  it('counts calls by method and status, series by method, and shows the model version on /metrics', async () => {
    const text = await scrape();
    expect(metric(text, 'ml_grpc_request_duration_seconds_count{method="Forecast",code="OK"}')).toBeGreaterThan(0);
    expect(metric(text, 'ml_grpc_request_duration_seconds_count{method="Forecast",code="INVALID_ARGUMENT"}')).toBe(6);
    expect(metric(text, 'ml_forecast_series_total{method="fallback"}')).toBeGreaterThanOrEqual(1);
    expect(metric(text, `ml_model_info{name="${shipped.name}",version="${shipped.version}",source="shipped"}`)).toBe(1);
  });
});

describe('GetModelInfo', () => {
  it('reports the shipped model while the registry names no version', async () => {
    const info = await app.client.getModelInfo({});
    expect(info).toMatchObject({ model: { name: shipped.name, version: shipped.version }, source: 'shipped', maxBatch: 20000 });
    expect(info.maxHorizon).toBe(Math.min(24, shipped.metadata.maxHorizon));
    expect(info.loadedAt).toBeDefined();
  });
});

describe('DetectAnomalies', () => {
  it('scores each bill against its category and payee, with a reason', async () => {
    const usual = [40, 42, 38, 45, 41, 39].map((amount, i) => ({ id: `usual-${i}`, amount, categoryId: 'food', categoryName: 'Groceries', payee: 'Tesco' }));
    const response = await app.client.detectAnomalies({ items: [...usual, { id: 'big', amount: 400, categoryId: 'food', categoryName: 'Groceries', payee: 'Tesco' }] });

    expect(response.items.map((item) => item.id)).toEqual([...usual.map((item) => item.id), 'big']);
    expect(response.items.at(-1)).toMatchObject({ anomalous: true, reason: '400.00 is 9.9× the median (40.50) of 6 other bills to Tesco in Groceries' });
    expect(response.items.slice(0, -1).every((item) => !item.anomalous)).toBe(true);
  });

  it('rejects a negative amount with INVALID_ARGUMENT', async () => {
    const error = await rejection(app.client.detectAnomalies({ items: [{ id: 'b', amount: -5, categoryId: 'food' }] }));
    expect(error.code).toBe(Status.INVALID_ARGUMENT);
    expect(error.details).toBe('items[0] (id "b").amount: must be a finite number ≥ 0, got -5');
  });
});

describe('health', () => {
  it('is SERVING for the server and for the Forecaster once a model is loaded', async () => {
    expect(await app.health()).toBe('SERVING');
    expect(await app.health('spendcast.ml.v1.Forecaster')).toBe('SERVING');
  });
});
