import * as client from 'openid-client';
import type { OidcProviderConfig } from '../../../platform/config';
import type { ExternalIdentity } from '../auth.service';
import { EmailDomainNotAllowed, OAuthFailed, OAuthIdTokenInvalid, OAuthNonceMismatch, ProviderUnavailable } from './oauth.errors';
import { cachedUntilFailure, identityFromClaims, type NewSignIn, type SignInProvider } from './provider';
import type { SignInAttempt, SignInStates } from './state-store';

const TIMEOUT_SECONDS = 5;
const SCOPE = 'openid email profile';

/**
 * client_secret_basic, which OpenID Connect makes the default, unless the provider's discovery
 * document lists only client_secret_post. Chosen per request from the discovered metadata.
 */
function clientSecretBasicOrPost(secret: string): client.ClientAuth {
  const basic = client.ClientSecretBasic(secret);
  const post = client.ClientSecretPost(secret);
  return (server, metadata, body, headers) => {
    const methods = server.token_endpoint_auth_methods_supported;
    const postOnly = methods !== undefined && !methods.includes('client_secret_basic') && methods.includes('client_secret_post');
    (postOnly ? post : basic)(server, metadata, body, headers);
  };
}

/** Sorts openid-client's failures of the code exchange into what the person is told. */
function grantFailure(error: unknown): Error {
  const failure = error as { name?: string; code?: string; cause?: { status?: unknown; cause?: { claim?: unknown } } };
  if (error instanceof client.ResponseBodyError || error instanceof client.AuthorizationResponseError) return new OAuthFailed({ cause: error });
  // fetch rejects with a TypeError when the provider cannot be reached.
  if (failure.name === 'TypeError' || failure.code === 'OAUTH_TIMEOUT' || failure.code === 'OAUTH_ABORT') return new ProviderUnavailable({ cause: error });
  if (failure.code === 'OAUTH_RESPONSE_IS_NOT_CONFORM') {
    const status = typeof failure.cause?.status === 'number' ? failure.cause.status : 500;
    return status < 500 ? new OAuthFailed({ cause: error }) : new ProviderUnavailable({ cause: error });
  }
  if (failure.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && failure.cause?.cause?.claim === 'nonce') return new OAuthNonceMismatch();
  if (failure.code?.startsWith('OAUTH_JWT_') || failure.code === 'OAUTH_INVALID_RESPONSE' || failure.code === 'OAUTH_KEY_SELECTION_FAILED') {
    return new OAuthIdTokenInvalid({ cause: error });
  }
  return new OAuthFailed({ cause: error });
}

/**
 * A company's OpenID Connect provider (Keycloak, Azure AD / Entra ID, Okta, …), configured by its
 * issuer alone: openid-client reads the discovery document on first use and keeps it, so the app
 * starts while the provider is down. Authorization code flow with state, PKCE (S256) and nonce; the
 * ID token's signature is checked against the provider's JWKS as well as its claims.
 */
export class OidcSignIn implements SignInProvider {
  readonly key: string;
  readonly id: string;
  readonly label: string;
  readonly startPath: string;
  readonly callbackUrl: string;
  private readonly configuration: () => Promise<client.Configuration>;

  constructor(
    private readonly provider: OidcProviderConfig,
    publicUrl: string,
    private readonly states: SignInStates,
  ) {
    this.key = `oidc:${provider.name}`;
    this.id = provider.name;
    this.label = provider.label;
    this.startPath = `/api/v1/auth/oidc/${provider.name}`;
    this.callbackUrl = `${publicUrl}${this.startPath}/callback`;
    this.configuration = cachedUntilFailure(() => this.discover());
  }

  async authorizationUrl(start: NewSignIn): Promise<string> {
    const configuration = await this.configuration();
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = await this.states.save({ ...start, codeVerifier });
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.callbackUrl,
      response_type: 'code',
      scope: SCOPE,
      state,
      nonce: start.nonce,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return url.href;
  }

  async identify(callback: URL, state: string, attempt: SignInAttempt): Promise<ExternalIdentity> {
    const configuration = await this.configuration();
    let claims: client.IDToken | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, callback, {
        pkceCodeVerifier: attempt.codeVerifier,
        expectedState: state,
        expectedNonce: attempt.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      throw grantFailure(error);
    }
    if (!claims) throw new OAuthIdTokenInvalid();
    const identity = identityFromClaims(this.key, claims);
    this.checkDomain(identity.email);
    // A company IdP speaks only for its own domains: without an allow-list its "email verified" must
    // not let it sign in to (and so take over) an existing account with that address.
    return { ...identity, emailVerified: identity.emailVerified && this.provider.allowedDomains.length > 0 };
  }

  private checkDomain(email: string | undefined): void {
    const allowed = this.provider.allowedDomains;
    if (allowed.length === 0) return;
    const domain = email?.split('@').pop()?.toLowerCase();
    if (!email?.includes('@') || !domain || !allowed.includes(domain)) throw new EmailDomainNotAllowed();
  }

  private async discover(): Promise<client.Configuration> {
    const issuer = new URL(this.provider.issuer);
    const insecure = issuer.protocol === 'http:';
    try {
      const configuration = await client.discovery(issuer, this.provider.clientId, this.provider.clientSecret, clientSecretBasicOrPost(this.provider.clientSecret), {
        timeout: TIMEOUT_SECONDS,
        // Plain HTTP only for a provider on a developer's machine; config refuses it in production.
        execute: insecure ? [client.allowInsecureRequests] : [],
      });
      // Checks ID token signatures against the provider's JWKS too, not only their claims.
      client.enableNonRepudiationChecks(configuration);
      return configuration;
    } catch (error) {
      throw new ProviderUnavailable({ cause: error });
    }
  }
}
