export { ConfigError, ENVIRONMENT_VARIABLES, loadConfig, loadOidcProviders } from './config';
export type { Config, Environment, OidcProviderConfig } from './config';
