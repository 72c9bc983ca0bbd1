import { createRemoteJWKSet, errors as jose, jwtVerify, type JWTPayload } from 'jose';
import type { StrategyCreated } from 'passport';
import { Strategy as GoogleStrategy, type GoogleCallbackParameters, type Profile } from 'passport-google-oauth20';
import type { StateStore } from 'passport-oauth2';
import { z } from 'zod';
import type { ExternalIdentity } from '../auth.service';
import { OAuthFailed, OAuthIdTokenInvalid, OAuthNonceMismatch, OAuthStateInvalid, ProviderUnavailable } from './oauth.errors';
import { cachedUntilFailure, identityFromClaims, type NewSignIn, type SignInProvider } from './provider';
import type { SignInAttempt, SignInStates } from './state-store';

const TIMEOUT_MS = 5000;

const DiscoveryDocument = z.object({
  issuer: z.string(),
  authorization_endpoint: z.url(),
  token_endpoint: z.url(),
  userinfo_endpoint: z.url(),
  jwks_uri: z.url(),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
});
type DiscoveryDocument = z.infer<typeof DiscoveryDocument>;

export interface GoogleOptions {
  clientId: string;
  clientSecret: string;
  /** https://accounts.google.com, or a local provider in tests. */
  issuer: string;
  publicUrl: string;
}

const withoutSlash = (url: string) => url.replace(/\/$/, '');

async function discover(issuer: string): Promise<DiscoveryDocument> {
  try {
    const response = await fetch(`${withoutSlash(issuer)}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`discovery answered ${response.status}`);
    const document = DiscoveryDocument.parse(await response.json());
    if (withoutSlash(document.issuer) !== withoutSlash(issuer)) throw new Error(`discovery names issuer ${document.issuer}`);
    return document;
  } catch (error) {
    throw new ProviderUnavailable({ cause: error });
  }
}

/** What the callback hands to the strategy: the query, and the attempt the service has already taken for its state. */
interface CallbackRequest {
  query: Record<string, string>;
  taken?: { state: string; attempt: SignInAttempt };
}

/**
 * passport-oauth2's state store, in its PKCE form (the five-argument `store`), kept in the Cache port
 * instead of a session. The service takes the attempt for the callback's state (single use, same
 * browser) before the strategy runs; `verify` then only hands the strategy that attempt's verifier.
 */
class CacheStateStore {
  constructor(private readonly states: SignInStates) {}

  // passport-oauth2 picks the store's form by its arity, so both methods keep every parameter.
  store(_req: unknown, codeVerifier: string, start: NewSignIn, _meta: unknown, done: (error: Error | null, state?: string) => void): void {
    this.states.save({ ...start, codeVerifier }).then(
      (state) => done(null, state),
      (error: unknown) => done(error instanceof Error ? error : new Error(String(error))),
    );
  }

  verify(req: CallbackRequest, state: string, _meta: unknown, done: (error: Error | null, codeVerifier: string | false, info?: object) => void): void {
    if (!req.taken || req.taken.state !== state) done(null, false, { message: 'unknown state' });
    else done(null, req.taken.attempt.codeVerifier, req.taken.attempt);
  }
}

/** Adds the OpenID Connect nonce, which passport-google-oauth20 does not send, to the authorization request. */
class GoogleOpenIdStrategy extends GoogleStrategy {
  override authorizationParams(options: { nonce?: string }): object {
    return { ...super.authorizationParams(options), nonce: options.nonce };
  }
}

type Outcome = { redirect: string } | { user: { idToken?: string } } | { failure: unknown } | { error: unknown };

/**
 * Runs one authentication step of the strategy as passport's `authenticate` middleware does (a copy
 * of the strategy with success/fail/redirect/error attached), but as a promise and without touching
 * the response, so the service decides what the browser sees.
 */
function runStrategy(strategy: GoogleStrategy, req: CallbackRequest, options: object): Promise<Outcome> {
  return new Promise((resolve) => {
    const step = Object.create(strategy) as StrategyCreated<GoogleStrategy>;
    step.redirect = (url) => resolve({ redirect: url });
    step.success = (user) => resolve({ user });
    step.fail = (challenge) => resolve({ failure: challenge });
    step.error = (error) => resolve({ error });
    step.pass = () => resolve({ error: new Error('the strategy passed') });
    step.authenticate(req as never, options);
  });
}

/** The token endpoint's refusal (TokenError, or an error status) is the provider saying no; no answer at all is unavailability. */
function exchangeFailure(error: unknown): Error {
  const failure = error as { name?: string; oauthError?: { statusCode?: number } };
  if (failure.name === 'TokenError') return new OAuthFailed({ cause: error });
  const status = failure.oauthError?.statusCode;
  return status !== undefined && status < 500 ? new OAuthFailed({ cause: error }) : new ProviderUnavailable({ cause: error });
}

/**
 * Sign-in with Google through passport-google-oauth20: authorization code flow with state, PKCE
 * (S256) and nonce. The endpoints come from the issuer's discovery document, read on first use. The
 * person is read from the ID token, verified against the issuer's JWKS with jose, never from userinfo.
 */
export class GoogleSignIn implements SignInProvider {
  readonly key = 'google';
  readonly id = 'google';
  readonly label = 'Google';
  readonly startPath = '/api/v1/auth/google';
  readonly callbackUrl: string;
  private readonly ready: () => Promise<{ strategy: GoogleStrategy; document: DiscoveryDocument; keys: ReturnType<typeof createRemoteJWKSet> }>;

  constructor(
    private readonly options: GoogleOptions,
    states: SignInStates,
  ) {
    this.callbackUrl = `${options.publicUrl}/api/v1/auth/google/callback`;
    this.ready = cachedUntilFailure(async () => {
      const document = await discover(options.issuer);
      const strategy = new GoogleOpenIdStrategy(
        {
          clientID: options.clientId,
          clientSecret: options.clientSecret,
          callbackURL: this.callbackUrl,
          authorizationURL: document.authorization_endpoint,
          tokenURL: document.token_endpoint,
          userProfileURL: document.userinfo_endpoint,
          scope: ['openid', 'email', 'profile'],
          state: true,
          pkce: true,
          store: new CacheStateStore(states) as unknown as StateStore,
          // Everything needed is in the verified ID token; the userinfo call would add a request and nothing we trust more.
          skipUserProfile: true,
        },
        (_accessToken: string, _refreshToken: string, params: GoogleCallbackParameters, _profile: Profile, done: (error: null, user: object) => void) =>
          done(null, { idToken: params.id_token }),
      );
      return { strategy, document, keys: createRemoteJWKSet(new URL(document.jwks_uri), { timeoutDuration: TIMEOUT_MS }) };
    });
  }

  async authorizationUrl(start: NewSignIn): Promise<string> {
    const { strategy } = await this.ready();
    const outcome = await runStrategy(strategy, { query: {} }, { state: start, nonce: start.nonce });
    if ('redirect' in outcome) return outcome.redirect;
    throw 'error' in outcome ? outcome.error : new Error('the strategy did not redirect');
  }

  async identify(callback: URL, state: string, attempt: SignInAttempt): Promise<ExternalIdentity> {
    const { strategy, document, keys } = await this.ready();
    const outcome = await runStrategy(strategy, { query: Object.fromEntries(callback.searchParams), taken: { state, attempt } }, {});
    if ('error' in outcome) throw exchangeFailure(outcome.error);
    if ('failure' in outcome) throw new OAuthStateInvalid();
    if (!('user' in outcome)) throw new OAuthFailed();
    const claims = await this.verifyIdToken(outcome.user.idToken, document, keys);
    if (claims.nonce !== attempt.nonce) throw new OAuthNonceMismatch();
    return identityFromClaims(this.key, claims);
  }

  private async verifyIdToken(idToken: string | undefined, document: DiscoveryDocument, keys: ReturnType<typeof createRemoteJWKSet>): Promise<JWTPayload> {
    if (!idToken) throw new OAuthIdTokenInvalid();
    try {
      const { payload } = await jwtVerify(idToken, keys, {
        // Google documents both spellings of its issuer in ID tokens.
        issuer: [document.issuer, document.issuer.replace(/^https:\/\//, '')],
        audience: this.options.clientId,
        clockTolerance: 30,
        algorithms: (document.id_token_signing_alg_values_supported ?? ['RS256']).filter((alg) => alg !== 'none' && !alg.startsWith('HS')),
      });
      // Several audiences are acceptable only when we are the authorized party.
      if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== this.options.clientId) throw new Error('another authorized party');
      return payload;
    } catch (error) {
      if (error instanceof jose.JWKSTimeout || (error as Error).name === 'TypeError') throw new ProviderUnavailable({ cause: error });
      throw new OAuthIdTokenInvalid({ cause: error });
    }
  }
}
