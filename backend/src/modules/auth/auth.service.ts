import { randomUUID } from 'node:crypto';
import type { Cache } from '../../platform/cache';
import { violatesUnique, type Transactions } from '../../platform/database';
import type { Actor } from '../../platform/http';
import type { Logger } from '../../platform/logging';
import { createOpaqueToken, hashToken, readOpaqueToken } from '../../platform/tokens';
import type { UsersService } from '../users';
import type { AuthRepository } from './auth.repository';
import {
  AccountExists,
  EmailRequired,
  EmailTaken,
  InvalidCredentials,
  InvalidLoginCode,
  InvalidMfaChallenge,
  InvalidRefreshToken,
  InvalidTotpCode,
  TotpAlreadyEnabled,
  TotpNotEnabled,
  TotpNotSetUp,
} from './auth.errors';
import { hashPassword, type PasswordVerifier } from './passwords';
import type { SecretBox } from './secret-box';
import type { AccessTokens } from './tokens';
import { acceptedStep, hashRecoveryCode, newRecoveryCodes, newTotpSecret, otpauthUri } from './totp';

const LOGIN_CODE_TTL_SECONDS = 60;

export interface TokenPair {
  tokenType: 'Bearer';
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken: string;
  onboarded: boolean;
}

/** A sign-in either finishes with tokens or asks for the second factor first. */
export type SignInResult = ({ status: 'signed-in' } & TokenPair) | { status: 'mfa-required'; challenge: string };

/** A person as an outside identity provider (Google, a company IdP) vouches for them. */
export interface ExternalIdentity {
  provider: string;
  subject: string;
  email?: string;
  emailVerified: boolean;
  firstName?: string;
  lastName?: string;
}

export interface SecondFactor {
  challenge: string;
  code?: string;
  recoveryCode?: string;
}

export class AuthService {
  constructor(
    private readonly transactions: Transactions,
    private readonly auth: AuthRepository,
    private readonly users: UsersService,
    private readonly tokens: AccessTokens,
    private readonly passwords: PasswordVerifier,
    private readonly secrets: SecretBox,
    private readonly cache: Cache,
    private readonly logger: Logger,
    private readonly refreshTtlMs: number,
  ) {}

  async register(email: string, password: string): Promise<TokenPair> {
    const passwordHash = await hashPassword(password);
    const id = randomUUID();
    await this.transactions.run({ userId: id }, async () => {
      try {
        await this.users.createAccount({ id, email, emailVerified: false });
      } catch (error) {
        if (violatesUnique(error, 'users_email_key')) throw new EmailTaken();
        throw error;
      }
      await this.auth.savePassword(id, passwordHash);
    });
    return this.startSession(id);
  }

  /** Unknown email and wrong password fail alike and take as long (see PasswordVerifier). */
  async login(email: string, password: string): Promise<SignInResult> {
    const userId = await this.transactions.run({ userId: null }, () => this.users.accountIdByEmail(email));
    const hash = userId ? await this.transactions.run({ userId }, () => this.auth.passwordHash(userId)) : undefined;
    if (!(await this.passwords.verify(hash, password)) || !userId) throw new InvalidCredentials();
    return this.afterFirstFactor(userId);
  }

  /**
   * Google or company SSO vouched for this person (the first factor): returns their linked account,
   * or an existing account with the same email when the provider says the email is verified (now
   * linked), or a new account. The caller then issues a login code; exchanging it asks for the
   * second factor when the account has one.
   */
  async accountForIdentity(identity: ExternalIdentity): Promise<string> {
    const linked = await this.transactions.run({ userId: null }, () => this.users.accountIdByIdentity(identity.provider, identity.subject));
    if (linked) return linked;
    if (!identity.email) throw new EmailRequired();
    const email = identity.email;
    const existing = await this.transactions.run({ userId: null }, () => this.users.accountIdByEmail(email));
    if (existing && !identity.emailVerified) throw new AccountExists();
    const userId = existing ?? randomUUID();
    await this.transactions.run({ userId }, async () => {
      if (!existing) {
        await this.users.createAccount({ id: userId, email, emailVerified: identity.emailVerified, firstName: identity.firstName, lastName: identity.lastName });
      }
      await this.users.linkIdentity({ userId, provider: identity.provider, subject: identity.subject, email });
    });
    return userId;
  }

  async completeSecondFactor(input: SecondFactor): Promise<TokenPair> {
    const userId = await this.tokens.verifyChallenge(input.challenge);
    if (!userId) throw new InvalidMfaChallenge();
    await this.transactions.run({ userId }, async () => {
      const passed = input.recoveryCode
        ? await this.auth.consumeRecoveryCode(userId, hashRecoveryCode(input.recoveryCode))
        : await this.acceptTotp(userId, input.code ?? '', true);
      if (!passed) throw new InvalidTotpCode();
    });
    return this.startSession(userId);
  }

  /** A one-minute, single-use code that stands for a finished first factor, for redirects back from a provider. */
  async issueLoginCode(userId: string): Promise<string> {
    const { token, hash } = createOpaqueToken(userId);
    await this.cache.set(`login-code:${hash}`, userId, LOGIN_CODE_TTL_SECONDS);
    return token;
  }

  async exchangeLoginCode(code: string): Promise<SignInResult> {
    const userId = await this.cache.take(`login-code:${hashToken(code)}`);
    if (!userId) throw new InvalidLoginCode();
    return this.afterFirstFactor(userId);
  }

  /** Rotates the refresh token; presenting a used one revokes its whole family and is logged as a security event. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const parsed = readOpaqueToken(refreshToken);
    if (!parsed) throw new InvalidRefreshToken();
    const userId = parsed.ownerId;
    const outcome = await this.transactions.run({ userId }, async () => {
      const current = await this.auth.refreshTokenForUpdate(parsed.hash);
      if (!current || current.revokedAt || current.expiresAt.getTime() <= Date.now()) return { ok: false as const };
      if (current.usedAt) {
        await this.auth.revokeFamily(current.familyId);
        return { ok: false as const, reusedFamily: current.familyId };
      }
      await this.auth.markRefreshTokenUsed(current.id);
      return { ok: true as const, session: await this.issueTokens(userId, current.familyId) };
    });
    if (outcome.ok) return outcome.session;
    if (outcome.reusedFamily) {
      this.logger.warn({ securityEvent: 'refresh_token_reuse', userId, familyId: outcome.reusedFamily }, 'refresh token reused: signed the session out everywhere');
    }
    throw new InvalidRefreshToken();
  }

  /** Ends the sign-in the refresh token belongs to, on every device that shares it. */
  async logout(refreshToken: string): Promise<void> {
    const parsed = readOpaqueToken(refreshToken);
    if (!parsed) return;
    await this.transactions.run({ userId: parsed.ownerId }, async () => {
      const current = await this.auth.refreshTokenForUpdate(parsed.hash);
      if (current) await this.auth.revokeFamily(current.familyId);
    });
  }

  async authenticate(accessToken: string): Promise<Actor> {
    return this.tokens.verify(accessToken);
  }

  /** A new authenticator secret; it counts once a code from it is confirmed. */
  setupTotp(userId: string): Promise<{ secret: string; otpauthUri: string }> {
    return this.transactions.run({ userId }, async () => {
      if ((await this.auth.totp(userId))?.enabledAt) throw new TotpAlreadyEnabled();
      const secret = newTotpSecret();
      await this.auth.savePendingTotp(userId, this.secrets.seal(secret));
      const profile = await this.users.profile(userId);
      return { secret, otpauthUri: otpauthUri(secret, profile.email) };
    });
  }

  /** Confirms setup with a code and turns two-factor on; the recovery codes are shown only now. */
  enableTotp(userId: string, code: string): Promise<{ recoveryCodes: string[] }> {
    return this.transactions.run({ userId }, async () => {
      const totp = await this.auth.totp(userId);
      if (!totp) throw new TotpNotSetUp();
      if (totp.enabledAt) throw new TotpAlreadyEnabled();
      if (!(await this.acceptTotp(userId, code, false))) throw new InvalidTotpCode();
      await this.auth.enableTotp(userId);
      const recoveryCodes = newRecoveryCodes();
      await this.auth.replaceRecoveryCodes(userId, recoveryCodes.map(hashRecoveryCode));
      return { recoveryCodes };
    });
  }

  disableTotp(userId: string, code: string): Promise<void> {
    return this.transactions.run({ userId }, async () => {
      if (!(await this.acceptTotp(userId, code, true))) throw new InvalidTotpCode();
      await this.auth.deleteTotp(userId);
    });
  }

  /** Within a unit of work: checks a code against the user's secret and claims its time step. */
  private async acceptTotp(userId: string, code: string, mustBeEnabled: boolean): Promise<boolean> {
    const totp = await this.auth.totp(userId);
    if (!totp) throw mustBeEnabled ? new TotpNotEnabled() : new TotpNotSetUp();
    if (mustBeEnabled && !totp.enabledAt) throw new TotpNotEnabled();
    const lastStep = totp.lastUsedStep === null ? undefined : Number(totp.lastUsedStep);
    const step = await acceptedStep(this.secrets.open(totp.secretEncrypted), code, lastStep);
    return step !== undefined && (await this.auth.claimTotpStep(userId, step));
  }

  private async afterFirstFactor(userId: string): Promise<SignInResult> {
    const totp = await this.transactions.run({ userId }, () => this.auth.totp(userId));
    if (totp?.enabledAt) return { status: 'mfa-required', challenge: await this.tokens.issueChallenge(userId) };
    return { status: 'signed-in', ...(await this.startSession(userId)) };
  }

  private startSession(userId: string): Promise<TokenPair> {
    return this.transactions.run({ userId }, () => this.issueTokens(userId, randomUUID()));
  }

  /** Within a unit of work: an access token and a new refresh token in the given family. */
  private async issueTokens(userId: string, familyId: string): Promise<TokenPair> {
    const onboarded = (await this.users.isOnboarded(userId)) ?? false;
    const { token, hash } = createOpaqueToken(userId);
    await this.auth.insertRefreshToken({ userId, familyId, tokenHash: hash, expiresAt: new Date(Date.now() + this.refreshTtlMs) });
    return { tokenType: 'Bearer', accessToken: await this.tokens.issue({ userId, onboarded }), expiresIn: this.tokens.ttlSeconds, refreshToken: token, onboarded };
  }
}
