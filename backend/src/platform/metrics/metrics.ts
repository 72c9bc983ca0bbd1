import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly mlCalls = new Counter({
    name: 'ml_calls_total',
    help: 'Calls to ml-service by method and outcome: ok, or why there was no answer (TIMEOUT, UNAVAILABLE, CIRCUIT_OPEN).',
    labelNames: ['method', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly mlCircuitOpen = new Gauge({
    name: 'ml_circuit_open',
    help: '1 while the circuit breaker in front of ml-service is open and forecasts answer without asking it.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Times every request; labels with the route pattern (not the raw URL) to keep cardinality bounded. */
  httpTimer(): RequestHandler {
    return (req, res, next) => {
      const stop = this.httpDuration.startTimer({ method: req.method });
      res.on('finish', () => {
        const pattern = (req.route as { path?: unknown } | undefined)?.path;
        const route = typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched';
        stop({ route, status: String(res.statusCode) });
      });
      next();
    };
  }
}
