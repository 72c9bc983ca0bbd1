export { ConfigError, ENVIRONMENT_VARIABLES, loadConfig, loadConfigOrExit, loadOidcProviders } from './config';
export type { Config, Environment, OidcProviderConfig } from './config';
