import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { hostPort } from './address';

export class Metrics {
  readonly registry = new Registry();
  /** Counts and latencies in one: `_count` by method and status code is the request counter. */
  readonly grpcDuration = new Histogram({
    name: 'ml_grpc_request_duration_seconds',
    help: 'gRPC call duration by method and status code.',
    labelNames: ['method', 'code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly forecastSeries = new Counter({
    name: 'ml_forecast_series_total',
    help: 'Series forecast, by method (model or fallback).',
    labelNames: ['method'] as const,
    registers: [this.registry],
  });
  readonly batchSeries = new Histogram({
    name: 'ml_forecast_batch_series',
    help: 'Series per Forecast call.',
    buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
    registers: [this.registry],
  });
  readonly inferenceRows = new Histogram({
    name: 'ml_inference_batch_rows',
    help: 'Feature rows per onnxruntime run (one run per Forecast call).',
    buckets: [1, 10, 50, 100, 500, 1000, 5000, 10_000, 50_000],
    registers: [this.registry],
  });
  readonly modelInfo = new Gauge({
    name: 'ml_model_info',
    help: 'The model serving Forecast: 1 for the loaded name, version and source.',
    labelNames: ['name', 'version', 'source'] as const,
    registers: [this.registry],
  });
  readonly modelLoadFailures = new Counter({
    name: 'ml_model_load_failures_total',
    help: 'Model versions that could not be loaded; the previous model keeps serving.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  modelLoaded(model: { name: string; version: string; source: string }): void {
    this.modelInfo.reset();
    this.modelInfo.set({ name: model.name, version: model.version, source: model.source }, 1);
  }
}

/** Serves GET /metrics in the Prometheus text format; gRPC has no place for it. */
export async function serveMetrics(metrics: Metrics, host: string, port: number): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    metrics.registry.metrics().then(
      (body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body),
      () => res.writeHead(500).end(),
    );
  });
  server.listen(port, host);
  await once(server, 'listening');
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${hostPort(host, bound)}/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
