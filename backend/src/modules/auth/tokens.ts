import { errors, jwtVerify, SignJWT, createLocalJWKSet, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import { Unauthenticated } from '../../platform/http';
import type { SigningKey } from './keys';

const ACCESS_AUDIENCE = 'spendcast-api';
const CHALLENGE_AUDIENCE = 'spendcast-mfa-challenge';
const CHALLENGE_TTL_SECONDS = 300;

export interface AccessClaims {
  userId: string;
  /** Whether onboarding is complete; routes for onboarded users refuse tokens without it. */
  onboarded: boolean;
}

/** Claims of a token that checked out, and when it stops being valid (a WebSocket closes then). */
export interface VerifiedAccess extends AccessClaims {
  expiresAtMs: number;
}

/**
 * Short-lived EdDSA JWTs. Verification pins the algorithm, issuer and audience, so `alg: none`,
 * tokens for another audience and tokens from another issuer all fail.
 */
export class AccessTokens {
  private readonly keySet;
  /**
   * Tokens whose signature already checked out, until they expire: a client sends the same token
   * with every request for 15 minutes, and the signature check is the costliest step of a request.
   * Keyed by the whole token, so a token that differs in any byte is verified afresh.
   */
  private readonly verified = new LRUCache<string, VerifiedAccess>({ max: 10_000 });

  constructor(
    private readonly key: SigningKey,
    private readonly issuer: string,
    readonly ttlSeconds: number,
  ) {
    this.keySet = createLocalJWKSet({ keys: [key.publicJwk] });
  }

  jwks(): { keys: Array<Record<string, unknown>> } {
    return { keys: [this.key.publicJwk] };
  }

  issue(claims: AccessClaims): Promise<string> {
    return this.sign({ onb: claims.onboarded }, claims.userId, ACCESS_AUDIENCE, this.ttlSeconds);
  }

  async verify(token: string): Promise<VerifiedAccess> {
    const known = this.verified.get(token);
    if (known && known.expiresAtMs > Date.now()) return known;
    const payload = await this.check(token, ACCESS_AUDIENCE);
    const verified = { userId: payload.sub, onboarded: payload.onb === true, expiresAtMs: payload.exp * 1000 };
    this.verified.set(token, verified);
    return verified;
  }

  /** A five-minute proof that the password (or provider) step passed, to be completed with a TOTP code. */
  issueChallenge(userId: string): Promise<string> {
    return this.sign({}, userId, CHALLENGE_AUDIENCE, CHALLENGE_TTL_SECONDS);
  }

  async verifyChallenge(token: string): Promise<string | undefined> {
    try {
      return (await this.check(token, CHALLENGE_AUDIENCE)).sub;
    } catch {
      return undefined;
    }
  }

  private sign(claims: JWTPayload, subject: string, audience: string, ttlSeconds: number): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: String(this.key.publicJwk.kid), typ: 'JWT' })
      .setSubject(subject)
      .setIssuer(this.issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${ttlSeconds}s`)
      .sign(this.key.privateKey);
  }

  private async check(token: string, audience: string): Promise<JWTPayload & { sub: string; exp: number }> {
    try {
      const { payload } = await jwtVerify(token, this.keySet, { algorithms: ['EdDSA'], issuer: this.issuer, audience, requiredClaims: ['sub', 'exp'] });
      return payload as JWTPayload & { sub: string; exp: number };
    } catch (error) {
      if (error instanceof errors.JWTExpired) throw new Unauthenticated('TOKEN_EXPIRED', 'The access token has expired; refresh it.');
      throw new Unauthenticated('TOKEN_INVALID', 'The access token is invalid.');
    }
  }
}
