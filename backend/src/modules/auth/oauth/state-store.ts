import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Cache } from '../../../platform/cache';

/** How long a sign-in may stay at the provider: the state and the browser cookie expire together. */
export const SIGN_IN_TTL_SECONDS = 600;

/** The HttpOnly, SameSite=Lax cookie that ties a sign-in's state to the browser that started it. */
export const BROWSER_COOKIE = 'spendcast_signin';

/** A sign-in on its way to the provider and back: what the callback needs to finish it. */
export interface SignInAttempt {
  /** Key of the provider it was started with, e.g. `google` or `oidc:acme`. */
  provider: string;
  /** Allow-listed address the browser or app returns to. */
  returnTo: string;
  nonce: string;
  /** PKCE verifier; only its S256 challenge went to the provider. */
  codeVerifier: string;
  /** SHA-256 of the browser cookie's value. */
  browser: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const cacheKey = (state: string) => `oauth-state:${sha256(state)}`;

/**
 * Pending sign-ins in the Cache port, under the SHA-256 of their `state` (what passport-oauth2 would
 * keep in a session; there are no sessions here). A state works once: the callback takes it.
 */
export class SignInStates {
  constructor(private readonly cache: Cache) {}

  /** Stores the attempt and returns its state: 256 random bits, the handle the provider echoes back. */
  async save(attempt: SignInAttempt): Promise<string> {
    const state = randomBytes(32).toString('base64url');
    await this.cache.set(cacheKey(state), JSON.stringify(attempt), SIGN_IN_TTL_SECONDS);
    return state;
  }

  /** The attempt the state names, removed so that a replay finds nothing; undefined when unknown, expired or used. */
  async take(state: string | undefined): Promise<SignInAttempt | undefined> {
    if (!state) return undefined;
    const stored = await this.cache.take(cacheKey(state));
    return stored === undefined ? undefined : (JSON.parse(stored) as SignInAttempt);
  }
}

/** A new value for the browser cookie; an existing well-formed one is kept so that two tabs can sign in at once. */
export function browserKey(current: string | undefined): string {
  return current && /^[A-Za-z0-9_-]{43}$/.test(current) ? current : randomBytes(32).toString('base64url');
}

export function browserBinding(key: string): string {
  return sha256(key);
}

/** Whether the callback came to the browser that started the attempt (login CSRF sends it to another one). */
export function sameBrowser(attempt: SignInAttempt, key: string | undefined): boolean {
  if (!key) return false;
  const expected = Buffer.from(attempt.browser, 'hex');
  const actual = Buffer.from(browserBinding(key), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
