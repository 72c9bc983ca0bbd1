import type { ExternalIdentity } from '../auth.service';
import { OAuthIdTokenInvalid } from './oauth.errors';
import type { SignInAttempt } from './state-store';

/** What the service decides before leaving for the provider; the provider adds the PKCE verifier. */
export type NewSignIn = Omit<SignInAttempt, 'codeVerifier'>;

/** One way to sign in through an outside identity provider (Google, a company's OpenID Connect provider). */
export interface SignInProvider {
  /** Unique across providers and stored with linked identities: `google` or `oidc:<name>`. */
  readonly key: string;
  /** For the sign-in page: `google` or the company provider's name. */
  readonly id: string;
  readonly label: string;
  /** Where the sign-in page sends the browser, e.g. `/api/v1/auth/oidc/acme`. */
  readonly startPath: string;
  /** The redirect URI registered at the provider: PUBLIC_URL plus the callback path. */
  readonly callbackUrl: string;
  /**
   * Saves the attempt (with a new PKCE verifier) and returns the provider's authorization URL with
   * its state, the S256 code challenge and the nonce. Throws PROVIDER_UNAVAILABLE when the provider's
   * discovery document cannot be had.
   */
  authorizationUrl(start: NewSignIn): Promise<string>;
  /**
   * Trades the authorization code in the callback for tokens (sending the PKCE verifier), checks the
   * ID token's signature, issuer, audience, expiry and nonce, and returns the person it names.
   */
  identify(callback: URL, state: string, attempt: SignInAttempt): Promise<ExternalIdentity>;
}

/** Runs `load` on first use and keeps its result; a failure is not kept, so the next call tries again. */
export function cachedUntilFailure<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

const stringClaim = (claims: Record<string, unknown>, name: string) => {
  const value = claims[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
};

/** The person a verified ID token names. */
export function identityFromClaims(provider: string, claims: Record<string, unknown>): ExternalIdentity {
  const subject = stringClaim(claims, 'sub');
  if (!subject) throw new OAuthIdTokenInvalid();
  return {
    provider,
    subject,
    email: stringClaim(claims, 'email'),
    // OpenID Connect says boolean; a few providers send the string.
    emailVerified: claims.email_verified === true || claims.email_verified === 'true',
    firstName: stringClaim(claims, 'given_name'),
    lastName: stringClaim(claims, 'family_name'),
  };
}
