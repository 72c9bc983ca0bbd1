import { randomBytes } from 'node:crypto';
import { AppError } from '../../../platform/http';
import type { Logger } from '../../../platform/logging';
import type { AuthService } from '../auth.service';
import { OAuthAccessDenied, OAuthFailed, OAuthStateInvalid, ProviderNotFound } from './oauth.errors';
import type { SignInProvider } from './provider';
import { withParameter, type ReturnAddresses } from './redirects';
import { browserBinding, browserKey, sameBrowser, SIGN_IN_TTL_SECONDS, type SignInStates } from './state-store';

export interface ProviderSummary {
  id: string;
  label: string;
  startUrl: string;
}

/** Settings of the cookie that binds a sign-in to its browser. */
export interface BrowserCookie {
  maxAgeMs: number;
  /** Secure whenever PUBLIC_URL is https. */
  secure: boolean;
}

/**
 * Sign-in through Google or a company's OpenID Connect provider, from the button to the login code.
 *
 * `start` checks `returnTo` against the allow-list before anything leaves for the provider, keeps
 * the attempt (return address, nonce, PKCE verifier, browser) under a fresh state, and answers with
 * the provider's authorization URL.
 *
 * `finish` handles the provider's callback. A missing, unknown, expired or used state is answered
 * with 400 OAUTH_STATE_INVALID, because nothing says where to send the browser. Once the state is
 * taken (it works once), every outcome goes back to the attempt's `returnTo`: `?login_code=<code>` on
 * success, to be traded at POST /api/v1/auth/exchange, or `?login_error=<CODE>` with the same codes the
 * API uses (OAUTH_STATE_INVALID when it came back to another browser, OAUTH_ACCESS_DENIED,
 * OAUTH_FAILED, OAUTH_NONCE_MISMATCH, OAUTH_ID_TOKEN_INVALID, PROVIDER_UNAVAILABLE,
 * EMAIL_DOMAIN_NOT_ALLOWED, EMAIL_REQUIRED, ACCOUNT_EXISTS_UNVERIFIED_EMAIL). Tokens never travel in a URL.
 */
export class ExternalSignIn {
  readonly browserCookie: BrowserCookie;
  private readonly byKey: Map<string, SignInProvider>;

  constructor(
    private readonly auth: AuthService,
    private readonly states: SignInStates,
    private readonly returnAddresses: ReturnAddresses,
    providers: SignInProvider[],
    private readonly logger: Logger,
    private readonly publicUrl: string,
  ) {
    this.byKey = new Map(providers.map((provider) => [provider.key, provider]));
    this.browserCookie = { maxAgeMs: SIGN_IN_TTL_SECONDS * 1000, secure: publicUrl.startsWith('https:') };
  }

  /** The configured providers, for the sign-in page's buttons. */
  providers(): ProviderSummary[] {
    return [...this.byKey.values()].map((provider) => ({ id: provider.id, label: provider.label, startUrl: provider.startPath }));
  }

  /** The provider's authorization URL, and the browser cookie's value (kept when the browser has one). */
  async start(providerKey: string, returnTo: string | undefined, currentBrowserKey: string | undefined): Promise<{ location: string; browserKey: string }> {
    const provider = this.provider(providerKey);
    const address = this.returnAddresses.check(returnTo ?? `${this.publicUrl}/`);
    const key = browserKey(currentBrowserKey);
    const nonce = randomBytes(32).toString('base64url');
    const location = await provider.authorizationUrl({ provider: provider.key, returnTo: address, nonce, browser: browserBinding(key) });
    return { location, browserKey: key };
  }

  /** Where to send the browser after the provider's callback; throws OAUTH_STATE_INVALID when the state is not ours. */
  async finish(providerKey: string, query: URLSearchParams, currentBrowserKey: string | undefined): Promise<string> {
    const provider = this.provider(providerKey);
    const state = query.get('state') ?? undefined;
    const attempt = await this.states.take(state);
    if (!state || !attempt) throw new OAuthStateInvalid();
    try {
      if (attempt.provider !== provider.key || !sameBrowser(attempt, currentBrowserKey)) {
        this.logger.warn({ securityEvent: 'oauth_state_other_browser', provider: provider.key }, 'sign-in callback came to another browser or provider than the one that started it');
        throw new OAuthStateInvalid();
      }
      const error = query.get('error');
      if (error) throw error === 'access_denied' ? new OAuthAccessDenied() : new OAuthFailed();
      if (!query.get('code')) throw new OAuthFailed();
      const callback = new URL(provider.callbackUrl);
      callback.search = query.toString();
      const identity = await provider.identify(callback, state, attempt);
      const userId = await this.auth.accountForIdentity(identity);
      return withParameter(attempt.returnTo, 'login_code', await this.auth.issueLoginCode(userId));
    } catch (error) {
      return withParameter(attempt.returnTo, 'login_error', this.describe(provider, error));
    }
  }

  private describe(provider: SignInProvider, error: unknown): string {
    if (!(error instanceof AppError)) {
      this.logger.error({ err: error, provider: provider.key }, 'sign-in through a provider failed');
      return 'INTERNAL_ERROR';
    }
    const suspicious = error.code === 'OAUTH_NONCE_MISMATCH' || error.code === 'OAUTH_ID_TOKEN_INVALID';
    // Only the cause's name and message: the errors of the OAuth libraries carry claims and response bodies.
    const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : undefined;
    this.logger[suspicious ? 'warn' : 'info']({ provider: provider.key, code: error.code, cause }, 'sign-in through a provider refused');
    return error.code;
  }

  private provider(key: string): SignInProvider {
    const provider = this.byKey.get(key);
    if (!provider) throw new ProviderNotFound(key.replace(/^oidc:/, ''));
    return provider;
  }
}
