export { Metrics } from './metrics';
export { registerMetricsRoutes } from './metrics.routes';
