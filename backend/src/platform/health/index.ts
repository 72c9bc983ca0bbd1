export { registerHealthRoutes } from './health.routes';
export type { DependencyCheck } from './health.routes';
