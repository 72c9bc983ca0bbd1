import type { RequestHandler } from 'express';
import type { ApiRouter } from '../../platform/http';
import type { AuthService } from './auth.service';
import {
  Jwks,
  Login,
  LoginCodeExchange,
  RecoveryCodes,
  RefreshRequest,
  Registration,
  SecondFactor,
  SignInResult,
  TokenPair,
  TotpCode,
  TotpSetup,
} from './auth.schemas';

export interface AuthRouteOptions {
  /** Limits password attempts per client IP and per account. */
  loginLimits: RequestHandler[];
  jwks: () => object;
}

const signedIn = <T extends object>(tokens: T) => ({ status: 'signed-in' as const, ...tokens });

export function registerAuthRoutes(api: ApiRouter, auth: AuthService, options: AuthRouteOptions): void {
  api.route({
    method: 'get',
    path: '/.well-known/jwks.json',
    access: 'public',
    summary: 'Public keys that verify access tokens',
    tags: ['auth'],
    responses: { 200: { description: 'JSON Web Key Set.', schema: Jwks } },
    handler: () => ({ status: 200, body: options.jwks(), headers: { 'Cache-Control': 'public, max-age=300' } }),
  });

  api.route({
    method: 'post',
    path: '/api/v1/auth/register',
    access: 'public',
    summary: 'Create an account with email and password',
    tags: ['auth'],
    body: Registration,
    before: options.loginLimits,
    responses: { 201: { description: 'Signed in; onboarding comes next.', schema: TokenPair }, 409: { description: 'EMAIL_TAKEN.' } },
    handler: async ({ body }) => ({ status: 201, body: signedIn(await auth.register(body.email, body.password)) }),
  });

  api.route({
    method: 'post',
    path: '/api/v1/auth/login',
    access: 'public',
    summary: 'Sign in with email and password',
    description: 'Unknown emails and wrong passwords get the same answer in about the same time. With two-factor on, the answer is a challenge.',
    tags: ['auth'],
    body: Login,
    before: options.loginLimits,
    responses: { 200: { description: 'Signed in, or a second factor is needed.', schema: SignInResult }, 401: { description: 'INVALID_CREDENTIALS.' } },
    handler: async ({ body }) => ({ status: 200, body: await auth.login(body.email, body.password) }),
  });

  api.route({
    method: 'post',
    path: '/api/v1/auth/mfa',
    access: 'public',
    summary: 'Finish a sign-in with a TOTP code or a recovery code',
    tags: ['auth'],
    body: SecondFactor,
    before: options.loginLimits,
    responses: { 200: { description: 'Signed in.', schema: TokenPair }, 401: { description: 'TOTP_CODE_INVALID or MFA_CHALLENGE_INVALID.' } },
    handler: async ({ body }) => ({ status: 200, body: signedIn(await auth.completeSecondFactor(body)) }),
  });

  api.route({
    method: 'post',
    path: '/api/v1/auth/exchange',
    access: 'public',
    summary: 'Trade the one-time code from a Google or SSO redirect for tokens',
    tags: ['auth'],
    body: LoginCodeExchange,
    responses: { 200: { description: 'Signed in, or a second factor is needed.', schema: SignInResult }, 401: { description: 'LOGIN_CODE_INVALID.' } },
    handler: async ({ body }) => ({ status: 200, body: await auth.exchangeLoginCode(body.code) }),
  });

  api.route({
    method: 'post',
    path: '/api/v1/auth/refresh',
    access: 'public',
    summary: 'Rotate the refresh token and get a new access token',
    tags: ['auth'],
    body: RefreshRequest,
    responses: { 200: { description: 'New tokens; the old refresh token is used up.', schema: TokenPair }, 401: { description: 'REFRESH_TOKEN_INVALID.' } },
    handler: async ({ body }) => ({ status: 200, body: signedIn(await auth.refresh(body.refreshToken)) }),
  });

  api.route({
    method: 'post',
    path: '/api/v1/auth/logout',
    access: 'public',
    summary: 'Sign out: revokes every refresh token of this sign-in',
    tags: ['auth'],
    body: RefreshRequest,
    responses: { 204: { description: 'Signed out.' } },
    handler: async ({ body }) => {
      await auth.logout(body.refreshToken);
      return { status: 204 };
    },
  });

  api.route({
    method: 'post',
    path: '/api/v1/auth/totp/setup',
    access: 'signed-in',
    summary: 'Start two-factor setup: a new authenticator secret',
    tags: ['auth'],
    responses: { 200: { description: 'Scan or type the secret, then confirm a code.', schema: TotpSetup }, 409: { description: 'TOTP_ALREADY_ENABLED.' } },
    handler: async ({ actor }) => ({ status: 200, body: await auth.setupTotp(actor.userId) }),
  });

  api.route({
    method: 'post',
    path: '/api/v1/auth/totp/verify',
    access: 'signed-in',
    summary: 'Confirm a code from the new authenticator; turns two-factor on',
    tags: ['auth'],
    body: TotpCode,
    responses: { 200: { description: 'On; keep the recovery codes.', schema: RecoveryCodes }, 401: { description: 'TOTP_CODE_INVALID.' } },
    handler: async ({ actor, body }) => ({ status: 200, body: await auth.enableTotp(actor.userId, body.code) }),
  });

  api.route({
    method: 'post',
    path: '/api/v1/auth/totp/disable',
    access: 'signed-in',
    summary: 'Turn two-factor off (needs a current code)',
    tags: ['auth'],
    body: TotpCode,
    responses: { 204: { description: 'Off.' }, 401: { description: 'TOTP_CODE_INVALID.' } },
    handler: async ({ actor, body }) => {
      await auth.disableTotp(actor.userId, body.code);
      return { status: 204 };
    },
  });
}
