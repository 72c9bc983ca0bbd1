import type { ApiRouter } from '../http';
import { z } from '../openapi';
import type { Metrics } from './metrics';

export function registerMetricsRoutes(api: ApiRouter, metrics: Metrics): void {
  api.route({
    method: 'get',
    access: 'public',
    path: '/metrics',
    summary: 'Prometheus metrics',
    tags: ['health'],
    responses: { 200: { description: 'Prometheus text exposition.', schema: z.string(), contentType: 'text/plain' } },
    handler: async ({ res }) => {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
      return undefined;
    },
  });
}
