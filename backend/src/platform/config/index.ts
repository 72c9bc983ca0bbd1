export { ConfigError, loadConfig } from './config';
export type { Config, Environment } from './config';
