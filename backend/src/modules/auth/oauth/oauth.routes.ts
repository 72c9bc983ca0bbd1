import cookieParser from 'cookie-parser';
import type { Request, Response } from 'express';
import type { ApiRouter } from '../../../platform/http';
import { ProviderCallback, ProviderName, SignInMethods, SignInStart } from './oauth.schemas';
import type { ExternalSignIn } from './oauth.service';
import { BROWSER_COOKIE } from './state-store';

const readCookies = cookieParser();
const browserKeyOf = (req: Request): string | undefined => {
  const value: unknown = req.cookies?.[BROWSER_COOKIE];
  return typeof value === 'string' ? value : undefined;
};
/** The callback's query exactly as the provider sent it: the code exchange may check parameters we do not know. */
const callbackQuery = (req: Request) => new URL(req.originalUrl, 'http://callback.invalid').searchParams;
const STARTED = 'To the provider\'s sign-in page; sets the HttpOnly cookie that ties the sign-in to this browser.';
const CALLBACK =
  'Back to returnTo with `?login_code=…` (trade it at POST /api/v1/auth/exchange within 60 s) or `?login_error=<CODE>`: ' +
  'OAUTH_STATE_INVALID (another browser), OAUTH_ACCESS_DENIED, OAUTH_FAILED, OAUTH_NONCE_MISMATCH, OAUTH_ID_TOKEN_INVALID, ' +
  'PROVIDER_UNAVAILABLE, EMAIL_DOMAIN_NOT_ALLOWED, EMAIL_REQUIRED or ACCOUNT_EXISTS_UNVERIFIED_EMAIL.';

function redirect(res: Response, location: string): undefined {
  res.set('Cache-Control', 'no-store').redirect(302, location);
  return undefined;
}

export function registerOAuthRoutes(api: ApiRouter, signIn: ExternalSignIn): void {
  const toProvider = async (providerKey: string, returnTo: string | undefined, req: Request, res: Response) => {
    const { location, browserKey } = await signIn.start(providerKey, returnTo, browserKeyOf(req));
    const { maxAgeMs, secure } = signIn.browserCookie;
    res.cookie(BROWSER_COOKIE, browserKey, { httpOnly: true, sameSite: 'lax', secure, path: '/api/v1/auth', maxAge: maxAgeMs });
    return redirect(res, location);
  };
  const fromProvider = async (providerKey: string, req: Request, res: Response) => redirect(res, await signIn.finish(providerKey, callbackQuery(req), browserKeyOf(req)));

  api.route({
    method: 'get',
    path: '/api/v1/auth/providers',
    access: 'public',
    summary: 'The sign-in methods this installation offers',
    tags: ['auth'],
    responses: { 200: { description: 'Password sign-in and the configured providers, for the sign-in page.', schema: SignInMethods } },
    handler: () => ({ status: 200, body: { password: true, providers: signIn.providers() } }),
  });

  api.route({
    method: 'get',
    path: '/api/v1/auth/google',
    access: 'public',
    summary: 'Start signing in with Google',
    tags: ['auth'],
    query: SignInStart,
    before: [readCookies],
    responses: {
      302: { description: STARTED },
      400: { description: 'REDIRECT_NOT_ALLOWED: returnTo is not allow-listed; nothing went to Google.' },
      404: { description: 'PROVIDER_NOT_FOUND: Google sign-in is not configured.' },
      502: { description: 'PROVIDER_UNAVAILABLE.' },
    },
    handler: ({ query, req, res }) => toProvider('google', query.returnTo, req, res),
  });

  api.route({
    method: 'get',
    path: '/api/v1/auth/google/callback',
    access: 'public',
    summary: "Google's redirect back after sign-in",
    tags: ['auth'],
    query: ProviderCallback,
    before: [readCookies],
    responses: { 302: { description: CALLBACK }, 400: { description: 'OAUTH_STATE_INVALID: no sign-in with this state is pending.' } },
    handler: ({ req, res }) => fromProvider('google', req, res),
  });

  api.route({
    method: 'get',
    path: '/api/v1/auth/oidc/:provider',
    access: 'public',
    summary: "Start signing in with a company's OpenID Connect provider",
    tags: ['auth'],
    params: ProviderName,
    query: SignInStart,
    before: [readCookies],
    responses: {
      302: { description: STARTED },
      400: { description: 'REDIRECT_NOT_ALLOWED: returnTo is not allow-listed; nothing went to the provider.' },
      404: { description: 'PROVIDER_NOT_FOUND.' },
      502: { description: 'PROVIDER_UNAVAILABLE: its discovery document cannot be read.' },
    },
    handler: ({ params, query, req, res }) => toProvider(`oidc:${params.provider}`, query.returnTo, req, res),
  });

  api.route({
    method: 'get',
    path: '/api/v1/auth/oidc/:provider/callback',
    access: 'public',
    summary: "The company provider's redirect back after sign-in",
    tags: ['auth'],
    params: ProviderName,
    query: ProviderCallback,
    before: [readCookies],
    responses: {
      302: { description: CALLBACK },
      400: { description: 'OAUTH_STATE_INVALID: no sign-in with this state is pending.' },
      404: { description: 'PROVIDER_NOT_FOUND.' },
    },
    handler: ({ params, req, res }) => fromProvider(`oidc:${params.provider}`, req, res),
  });
}
