import type { Cache } from '../../../platform/cache';
import type { Config } from '../../../platform/config';
import type { Logger } from '../../../platform/logging';
import type { AuthService } from '../auth.service';
import { GoogleSignIn } from './google.strategy';
import { ExternalSignIn } from './oauth.service';
import { OidcSignIn } from './oidc.client';
import type { SignInProvider } from './provider';
import { ReturnAddresses } from './redirects';
import { SignInStates } from './state-store';

export interface ExternalSignInDependencies {
  auth: AuthService;
  cache: Cache;
  logger: Logger;
  config: Config;
}

/** Google when its client is configured, then each company provider in OIDC_PROVIDERS order. */
export function createExternalSignIn({ auth, cache, logger, config }: ExternalSignInDependencies): ExternalSignIn {
  const states = new SignInStates(cache);
  const publicUrl = config.http.publicUrl;
  const providers: SignInProvider[] = [];
  if (config.auth.google) providers.push(new GoogleSignIn({ ...config.auth.google, publicUrl }, states));
  for (const provider of config.auth.oidcProviders) providers.push(new OidcSignIn(provider, publicUrl, states));
  return new ExternalSignIn(auth, states, new ReturnAddresses(config.auth.redirectAllowlist), providers, logger, publicUrl);
}
