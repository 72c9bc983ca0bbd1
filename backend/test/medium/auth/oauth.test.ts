import { randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { generate } from 'otplib';
import request from 'supertest';
import { freePort } from '../../../src/platform/net';
import { startTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, flavor, type TestDatabase } from '../../support/database';
import { startOidcProvider, type TestOidcProvider } from '../../support/oidc-provider';

const PUBLIC_URL = 'https://spendcast.example';
const RETURN_TO = 'https://app.example.com/signed-in';
const APP_RETURN_TO = 'spendcast://auth/callback';
const PASSWORD = 'correct horse battery staple';
const GOOGLE = '/api/v1/auth/google';
const ACME = '/api/v1/auth/oidc/acme';
/** The same IdP configured without an email-domain allow-list. */
const OPEN = '/api/v1/auth/oidc/open';

/** A browser's cookie jar for the app: the sign-in cookie must come back to the callback. */
interface Browser {
  cookies: Map<string, string>;
}
const newBrowser = (): Browser => ({ cookies: new Map() });

/** Path and query of an absolute URL: the provider redirects to PUBLIC_URL, which supertest serves on its own port. */
const pathOf = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};

const uniqueEmail = (domain = 'example.org') => `${randomUUID()}@${domain}`;

describe(`sign-in with Google and company OpenID Connect providers (${flavor})`, () => {
  let database: TestDatabase;
  let google: TestOidcProvider;
  let acme: TestOidcProvider;
  let product: TestApp;
  let downPort: number;

  const env = () => ({
    PUBLIC_URL,
    AUTH_REDIRECT_ALLOWLIST: 'https://app.example.com/,spendcast://auth/',
    // Sign-in state lives in the real Redis, which other test runs share: keep their rate-limit counters out of the way.
    REDIS_URL: process.env.REDIS_URL!,
    RATE_LIMIT_MAX: '100000',
    LOGIN_RATE_LIMIT_PER_IP: '100000',
    GOOGLE_CLIENT_ID: 'spendcast-google-client',
    GOOGLE_CLIENT_SECRET: 'google-secret',
    GOOGLE_ISSUER_URL: google.issuer,
    OIDC_PROVIDERS: 'acme,open,later',
    OIDC_ACME_ISSUER: acme.issuer,
    OIDC_ACME_CLIENT_ID: 'spendcast-acme-client',
    OIDC_ACME_CLIENT_SECRET: 'acme-secret',
    OIDC_ACME_ALLOWED_DOMAINS: 'acme.test',
    OIDC_ACME_LABEL: 'Acme SSO',
    OIDC_OPEN_ISSUER: acme.issuer,
    OIDC_OPEN_CLIENT_ID: 'spendcast-open-client',
    OIDC_OPEN_CLIENT_SECRET: 'open-secret',
    OIDC_LATER_ISSUER: `http://127.0.0.1:${downPort}`,
    OIDC_LATER_CLIENT_ID: 'spendcast-later-client',
    OIDC_LATER_CLIENT_SECRET: 'later-secret',
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    [google, acme, downPort] = await Promise.all([startOidcProvider(), startOidcProvider(), freePort()]);
    product = await startTestApp(env(), database);
  });

  afterAll(async () => {
    await product?.close();
    await Promise.all([google?.stop(), acme?.stop()]);
    await database?.drop();
  });

  beforeEach(async () => {
    await Promise.all([google.reset(), acme.reset()]);
  });

  /** GET on the app as this browser: sends its cookies and keeps the ones the app sets. */
  async function visit(browser: Browser, path: string, app: TestApp = product) {
    const call = request(app.app).get(path);
    if (browser.cookies.size > 0) call.set('Cookie', [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await call;
    for (const cookie of (response.headers['set-cookie'] as unknown as string[] | undefined) ?? []) {
      const [pair = ''] = cookie.split(';');
      const split = pair.indexOf('=');
      browser.cookies.set(pair.slice(0, split), pair.slice(split + 1));
    }
    return response;
  }

  /** Starts a sign-in and returns the provider's authorization URL the app sent the browser to. */
  async function start(browser: Browser, startPath: string, returnTo = RETURN_TO, app: TestApp = product): Promise<string> {
    const response = await visit(browser, `${startPath}?returnTo=${encodeURIComponent(returnTo)}`, app);
    expect(response.status).toBe(302);
    return response.headers.location as string;
  }

  /** The browser at the provider (real HTTP): returns the callback URL the provider redirects back to. */
  async function atProvider(authorizationUrl: string): Promise<string> {
    const response = await fetch(authorizationUrl, { redirect: 'manual' });
    expect(response.status).toBe(302);
    return response.headers.get('location')!;
  }

  /** The callback reaches the app; returns where the app sends the browser then. */
  async function callback(browser: Browser, callbackUrl: string, app: TestApp = product): Promise<URL> {
    const response = await visit(browser, pathOf(callbackUrl), app);
    expect(response.status).toBe(302);
    return new URL(response.headers.location as string);
  }

  /** The whole dance in one browser: start, provider, callback. */
  async function signIn(startPath: string, returnTo = RETURN_TO, app: TestApp = product): Promise<URL> {
    const browser = newBrowser();
    return callback(browser, await atProvider(await start(browser, startPath, returnTo, app)), app);
  }

  const exchange = (code: string | null) => request(product.app).post('/api/v1/auth/exchange').send({ code });

  /** Signs in through the provider and trades the login code; returns the signed-in user's id. */
  async function signedInUserId(startPath: string): Promise<string> {
    const landing = await signIn(startPath);
    expect(landing.searchParams.get('login_error')).toBeNull();
    const tokens = await exchange(landing.searchParams.get('login_code'));
    expect(tokens.status).toBe(200);
    expect(tokens.body.status).toBe('signed-in');
    return decodeJwt(tokens.body.accessToken as string).sub!;
  }

  async function register(email: string) {
    const response = await request(product.app).post('/api/v1/auth/register').send({ email, password: PASSWORD });
    expect(response.status).toBe(201);
    return { userId: decodeJwt(response.body.accessToken as string).sub!, accessToken: response.body.accessToken as string };
  }

  describe('the sign-in page', () => {
    it('lists password sign-in, Google and the company providers with their start URLs', async () => {
      const response = await request(product.app).get('/api/v1/auth/providers');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        password: true,
        providers: [
          { id: 'google', label: 'Google', startUrl: GOOGLE },
          { id: 'acme', label: 'Acme SSO', startUrl: ACME },
          { id: 'open', label: 'Open', startUrl: OPEN },
          { id: 'later', label: 'Later', startUrl: '/api/v1/auth/oidc/later' },
        ],
      });
    });
  });

  describe('with Google', () => {
    it('when a new person signs in, then the browser goes to Google with state, S256 PKCE and a nonce, and comes back with a login code worth tokens', async () => {
      const email = uniqueEmail();
      await google.nextIdToken({ sub: 'google-new-person', email, email_verified: true, given_name: 'Ada', family_name: 'Lovelace' });
      const browser = newBrowser();

      const started = await visit(browser, `${GOOGLE}?returnTo=${encodeURIComponent(RETURN_TO)}`);
      const authorization = new URL(started.headers.location as string);
      const landing = await callback(browser, await atProvider(authorization.href));
      const tokens = await exchange(landing.searchParams.get('login_code'));
      const profile = await request(product.app).get('/api/v1/me').set('Authorization', `Bearer ${tokens.body.accessToken}`);

      expect(started.status).toBe(302);
      expect(`${authorization.origin}${authorization.pathname}`).toBe(`${google.issuer}/authorize`);
      expect(Object.fromEntries(authorization.searchParams)).toMatchObject({
        client_id: 'spendcast-google-client',
        response_type: 'code',
        redirect_uri: `${PUBLIC_URL}/api/v1/auth/google/callback`,
        scope: 'openid email profile',
        code_challenge_method: 'S256',
        state: expect.stringMatching(/^[\w-]{43}$/),
        nonce: expect.stringMatching(/^[\w-]{43}$/),
        code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      });
      expect(started.headers['set-cookie']![0]).toMatch(/^spendcast_signin=[\w-]{43}; Max-Age=600; Path=\/api\/v1\/auth; Expires=.*; HttpOnly; Secure; SameSite=Lax$/);
      expect(`${landing.origin}${landing.pathname}`).toBe(RETURN_TO);
      expect([...landing.searchParams.keys()]).toEqual(['login_code']);
      expect(tokens.status).toBe(200);
      expect(tokens.body).toMatchObject({ status: 'signed-in', tokenType: 'Bearer', onboarded: false });
      expect(profile.body).toMatchObject({ email, firstName: 'Ada', lastName: 'Lovelace' });
      expect((await google.log()).tokenRequests).toEqual([expect.objectContaining({ clientId: 'spendcast-google-client', codeVerifier: true })]);
    });

    it('when the same Google subject signs in again, then it gets the same account', async () => {
      await google.nextIdToken({ sub: 'google-returning', email: uniqueEmail(), email_verified: true });
      const first = await signedInUserId(GOOGLE);
      await google.nextIdToken({ sub: 'google-returning', email: uniqueEmail(), email_verified: true });

      expect(await signedInUserId(GOOGLE)).toBe(first);
    });

    it('when the mobile app starts the sign-in, then the browser is sent back to the app scheme with the login code', async () => {
      await google.nextIdToken({ sub: 'google-mobile', email: uniqueEmail(), email_verified: true });

      const landing = await signIn(GOOGLE, APP_RETURN_TO);

      expect(landing.href).toMatch(/^spendcast:\/\/auth\/callback\?login_code=[^&]+$/);
      expect((await exchange(landing.searchParams.get('login_code'))).body.status).toBe('signed-in');
    });

    it('when returnTo is not allow-listed, then it answers 400 REDIRECT_NOT_ALLOWED and the browser never goes to Google', async () => {
      const response = await request(product.app).get(`${GOOGLE}?returnTo=${encodeURIComponent('https://app.example.com.evil.test/')}`);

      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ code: 'REDIRECT_NOT_ALLOWED' });
      expect(response.headers.location).toBeUndefined();
      expect(response.headers['set-cookie']).toBeUndefined();
      expect((await google.log()).authorizeRequests).toBe(0);
    });

    it('when a provider has no email-domain allow-list, then its "verified" email never links to an existing account', async () => {
      const email = uniqueEmail('gmail.test');
      await register(email);
      await acme.nextIdToken({ sub: 'open-takeover', email, email_verified: true });

      const refused = await signIn(OPEN);

      expect(refused.searchParams.get('login_error')).toBe('ACCOUNT_EXISTS_UNVERIFIED_EMAIL');
    });

    it('when the callback is replayed, then the used state answers 400 OAUTH_STATE_INVALID', async () => {
      await google.nextIdToken({ sub: 'google-replay', email: uniqueEmail(), email_verified: true });
      const browser = newBrowser();
      const callbackUrl = await atProvider(await start(browser, GOOGLE));
      expect((await callback(browser, callbackUrl)).searchParams.get('login_code')).toBeTruthy();

      const replay = await visit(browser, pathOf(callbackUrl));

      expect(replay.status).toBe(400);
      expect(replay.body).toMatchObject({ code: 'OAUTH_STATE_INVALID' });
    });

    it('when the callback carries a state the app never issued, then it answers 400 OAUTH_STATE_INVALID without asking Google for tokens', async () => {
      const browser = newBrowser();
      const forged = new URL(await atProvider(await start(browser, GOOGLE)));
      forged.searchParams.set('state', 'a'.repeat(43));

      const response = await visit(browser, pathOf(forged.href));

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'OAUTH_STATE_INVALID' });
      expect((await google.log()).tokenRequests).toEqual([]);
    });

    it('when an attacker sends their own callback to another browser (login CSRF), then that browser is not signed in', async () => {
      const attacker = newBrowser();
      const victim = newBrowser();
      await start(victim, GOOGLE);
      const attackersCallback = await atProvider(await start(attacker, GOOGLE));

      const landing = await callback(victim, attackersCallback);

      expect(landing.searchParams.get('login_error')).toBe('OAUTH_STATE_INVALID');
      expect(landing.searchParams.get('login_code')).toBeNull();
      expect((await google.log()).tokenRequests).toEqual([]);
    });

    it('when an authorization code issued for another PKCE challenge is injected, then Google refuses the verifier and nobody is signed in', async () => {
      const browser = newBrowser();
      const mine = new URL(await atProvider(await start(browser, GOOGLE)));
      const others = new URL(await atProvider(await start(browser, GOOGLE)));
      mine.searchParams.set('code', others.searchParams.get('code')!);

      const landing = await callback(browser, mine.href);

      expect(landing.searchParams.get('login_error')).toBe('OAUTH_FAILED');
      expect(landing.searchParams.get('login_code')).toBeNull();
      expect((await google.log()).tokenErrors).toEqual([expect.objectContaining({ status: 400, body: expect.stringContaining('code_verifier provided does not match code_challenge') })]);
    });

    it('when the ID token carries another nonce, then the sign-in is refused with OAUTH_NONCE_MISMATCH', async () => {
      await google.nextIdToken({ sub: 'google-nonce', email: uniqueEmail(), email_verified: true, nonce: 'a-nonce-of-another-sign-in' });

      const landing = await signIn(GOOGLE);

      expect(landing.searchParams.get('login_error')).toBe('OAUTH_NONCE_MISMATCH');
      expect(landing.searchParams.get('login_code')).toBeNull();
    });

    it('when the ID token is signed with a key the issuer does not publish, then the sign-in is refused with OAUTH_ID_TOKEN_INVALID', async () => {
      await google.nextIdToken({ sub: 'google-forged', email: uniqueEmail(), email_verified: true }, { signWithUnpublishedKey: true });

      const landing = await signIn(GOOGLE);

      expect(landing.searchParams.get('login_error')).toBe('OAUTH_ID_TOKEN_INVALID');
    });

    it('when the ID token is meant for another client, then the sign-in is refused with OAUTH_ID_TOKEN_INVALID', async () => {
      await google.nextIdToken({ sub: 'google-audience', email: uniqueEmail(), email_verified: true, aud: 'another-client' });

      const landing = await signIn(GOOGLE);

      expect(landing.searchParams.get('login_error')).toBe('OAUTH_ID_TOKEN_INVALID');
    });

    it('when the person cancels at Google, then the browser returns with OAUTH_ACCESS_DENIED', async () => {
      await google.nextAuthorization('access_denied');

      const landing = await signIn(GOOGLE);

      expect(landing.searchParams.get('login_error')).toBe('OAUTH_ACCESS_DENIED');
      expect((await google.log()).tokenRequests).toEqual([]);
    });

    it('when a password account has the same email and Google has not verified it, then it is not linked (ACCOUNT_EXISTS_UNVERIFIED_EMAIL)', async () => {
      const email = uniqueEmail();
      await register(email);
      await google.nextIdToken({ sub: 'google-unverified', email, email_verified: false });

      const landing = await signIn(GOOGLE);

      expect(landing.searchParams.get('login_error')).toBe('ACCOUNT_EXISTS_UNVERIFIED_EMAIL');
      expect(landing.searchParams.get('login_code')).toBeNull();
    });

    it('when a password account has the same email and Google has verified it, then Google signs in to that account', async () => {
      const email = uniqueEmail();
      const { userId } = await register(email);
      await google.nextIdToken({ sub: 'google-verified', email, email_verified: true });

      expect(await signedInUserId(GOOGLE)).toBe(userId);
    });

    it('when the account has two-factor on, then the exchange asks for the second factor instead of giving tokens', async () => {
      const email = uniqueEmail();
      const { accessToken } = await register(email);
      const setup = await request(product.app).post('/api/v1/auth/totp/setup').set('Authorization', `Bearer ${accessToken}`);
      const code = await generate({ secret: setup.body.secret as string });
      const enabled = await request(product.app).post('/api/v1/auth/totp/verify').set('Authorization', `Bearer ${accessToken}`).send({ code });
      expect(enabled.status).toBe(200);
      await google.nextIdToken({ sub: 'google-two-factor', email, email_verified: true });

      const landing = await signIn(GOOGLE);
      const exchanged = await exchange(landing.searchParams.get('login_code'));

      expect(exchanged.status).toBe(200);
      expect(exchanged.body).toEqual({ status: 'mfa-required', challenge: expect.any(String) });
    });

    it('when Google is not configured, then its start URL answers 404 PROVIDER_NOT_FOUND and the page lists no Google', async () => {
      const { GOOGLE_CLIENT_ID: _id, GOOGLE_CLIENT_SECRET: _secret, ...withoutGoogle } = env();
      const other = await startTestApp({ ...withoutGoogle, OIDC_PROVIDERS: '' }, database);
      try {
        const response = await request(other.app).get(GOOGLE);
        const providers = await request(other.app).get('/api/v1/auth/providers');

        expect(response.status).toBe(404);
        expect(response.body).toMatchObject({ code: 'PROVIDER_NOT_FOUND' });
        expect(providers.body).toEqual({ password: true, providers: [] });
      } finally {
        await other.close();
      }
    });

    it("when Google's issuer cannot be reached, then the start answers 502 PROVIDER_UNAVAILABLE", async () => {
      const other = await startTestApp({ ...env(), GOOGLE_ISSUER_URL: `http://127.0.0.1:${await freePort()}` }, database);
      try {
        const response = await request(other.app).get(`${GOOGLE}?returnTo=${encodeURIComponent(RETURN_TO)}`);

        expect(response.status).toBe(502);
        expect(response.body).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
      } finally {
        await other.close();
      }
    });
  });

  describe('with a company OpenID Connect provider', () => {
    it('when a new employee signs in, then the provider is asked with state, S256 PKCE and a nonce, the secret goes as client_secret_basic, and the login code is worth tokens', async () => {
      const email = uniqueEmail('acme.test');
      await acme.nextIdToken({ sub: 'acme-new-employee', email, email_verified: true, given_name: 'Grace', family_name: 'Hopper' });
      const browser = newBrowser();

      const authorization = new URL(await start(browser, ACME));
      const landing = await callback(browser, await atProvider(authorization.href));
      const tokens = await exchange(landing.searchParams.get('login_code'));
      const profile = await request(product.app).get('/api/v1/me').set('Authorization', `Bearer ${tokens.body.accessToken}`);

      expect(`${authorization.origin}${authorization.pathname}`).toBe(`${acme.issuer}/authorize`);
      expect(Object.fromEntries(authorization.searchParams)).toMatchObject({
        client_id: 'spendcast-acme-client',
        response_type: 'code',
        redirect_uri: `${PUBLIC_URL}${ACME}/callback`,
        scope: 'openid email profile',
        code_challenge_method: 'S256',
        state: expect.stringMatching(/^[\w-]{43}$/),
        nonce: expect.stringMatching(/^[\w-]{43}$/),
        code_challenge: expect.stringMatching(/^[\w-]{43}$/),
      });
      expect(`${landing.origin}${landing.pathname}`).toBe(RETURN_TO);
      expect(tokens.body.status).toBe('signed-in');
      expect(profile.body).toMatchObject({ email, firstName: 'Grace', lastName: 'Hopper' });
      expect((await acme.log()).tokenRequests).toEqual([{ clientAuth: 'client_secret_basic', clientId: 'spendcast-acme-client', codeVerifier: true }]);
    });

    it('when the same subject signs in again, then it gets the same account', async () => {
      await acme.nextIdToken({ sub: 'acme-returning', email: uniqueEmail('acme.test'), email_verified: true });
      const first = await signedInUserId(ACME);
      await acme.nextIdToken({ sub: 'acme-returning', email: uniqueEmail('acme.test'), email_verified: true });

      expect(await signedInUserId(ACME)).toBe(first);
    });

    it("when the email's domain is not allowed for the provider, then the sign-in is refused with EMAIL_DOMAIN_NOT_ALLOWED", async () => {
      await acme.nextIdToken({ sub: 'acme-outsider', email: uniqueEmail('evil.test'), email_verified: true });

      const landing = await signIn(ACME);

      expect(landing.searchParams.get('login_error')).toBe('EMAIL_DOMAIN_NOT_ALLOWED');
      expect(landing.searchParams.get('login_code')).toBeNull();
    });

    it('when a password account has the same email, then it is linked only once the provider says the email is verified', async () => {
      const email = uniqueEmail('acme.test');
      const { userId } = await register(email);
      await acme.nextIdToken({ sub: 'acme-linking', email, email_verified: false });

      const refused = await signIn(ACME);
      await acme.nextIdToken({ sub: 'acme-linking', email, email_verified: true });
      const linked = await signedInUserId(ACME);

      expect(refused.searchParams.get('login_error')).toBe('ACCOUNT_EXISTS_UNVERIFIED_EMAIL');
      expect(linked).toBe(userId);
    });

    it('when the callback is replayed, then the used state answers 400 OAUTH_STATE_INVALID', async () => {
      await acme.nextIdToken({ sub: 'acme-replay', email: uniqueEmail('acme.test'), email_verified: true });
      const browser = newBrowser();
      const callbackUrl = await atProvider(await start(browser, ACME));
      expect((await callback(browser, callbackUrl)).searchParams.get('login_code')).toBeTruthy();

      const replay = await visit(browser, pathOf(callbackUrl));

      expect(replay.status).toBe(400);
      expect(replay.body).toMatchObject({ code: 'OAUTH_STATE_INVALID' });
    });

    it("when Google's state is brought to this provider's callback, then the sign-in is refused with OAUTH_STATE_INVALID", async () => {
      const browser = newBrowser();
      const googleCallback = new URL(await atProvider(await start(browser, GOOGLE)));

      const landing = await callback(browser, `${PUBLIC_URL}${ACME}/callback${googleCallback.search}`);

      expect(landing.searchParams.get('login_error')).toBe('OAUTH_STATE_INVALID');
    });

    it('when an authorization code issued for another PKCE challenge is injected, then the provider refuses the verifier and nobody is signed in', async () => {
      const browser = newBrowser();
      const mine = new URL(await atProvider(await start(browser, ACME)));
      const others = new URL(await atProvider(await start(browser, ACME)));
      mine.searchParams.set('code', others.searchParams.get('code')!);

      const landing = await callback(browser, mine.href);

      expect(landing.searchParams.get('login_error')).toBe('OAUTH_FAILED');
      expect((await acme.log()).tokenErrors).toEqual([expect.objectContaining({ status: 400, body: expect.stringContaining('code_verifier provided does not match code_challenge') })]);
    });

    it('when the ID token carries another nonce, then the sign-in is refused with OAUTH_NONCE_MISMATCH', async () => {
      await acme.nextIdToken({ sub: 'acme-nonce', email: uniqueEmail('acme.test'), email_verified: true, nonce: 'a-nonce-of-another-sign-in' });

      const landing = await signIn(ACME);

      expect(landing.searchParams.get('login_error')).toBe('OAUTH_NONCE_MISMATCH');
    });

    it('when the ID token is signed with a key the provider does not publish, then the sign-in is refused with OAUTH_ID_TOKEN_INVALID', async () => {
      await acme.nextIdToken({ sub: 'acme-forged', email: uniqueEmail('acme.test'), email_verified: true }, { signWithUnpublishedKey: true });

      const landing = await signIn(ACME);

      expect(landing.searchParams.get('login_error')).toBe('OAUTH_ID_TOKEN_INVALID');
    });

    it('when the employee cancels at the provider, then the browser returns with OAUTH_ACCESS_DENIED', async () => {
      await acme.nextAuthorization('access_denied');

      const landing = await signIn(ACME);

      expect(landing.searchParams.get('login_error')).toBe('OAUTH_ACCESS_DENIED');
    });

    it('when returnTo is not allow-listed, then it answers 400 REDIRECT_NOT_ALLOWED and the browser never goes to the provider', async () => {
      const response = await request(product.app).get(`${ACME}?returnTo=${encodeURIComponent('https://evil.test/')}`);

      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'REDIRECT_NOT_ALLOWED' });
      expect(response.headers.location).toBeUndefined();
      expect((await acme.log()).authorizeRequests).toBe(0);
    });

    it('when the provider is not configured, then its start and callback URLs answer 404 PROVIDER_NOT_FOUND', async () => {
      const started = await request(product.app).get('/api/v1/auth/oidc/nobody');
      const called = await request(product.app).get('/api/v1/auth/oidc/nobody/callback?code=x&state=y');

      expect(started.status).toBe(404);
      expect(started.body).toMatchObject({ code: 'PROVIDER_NOT_FOUND' });
      expect(called.status).toBe(404);
      expect(called.body).toMatchObject({ code: 'PROVIDER_NOT_FOUND' });
    });

    it('when the provider is down, then its sign-in answers 502 PROVIDER_UNAVAILABLE, and works once the provider is back', async () => {
      const down = await request(product.app).get(`/api/v1/auth/oidc/later?returnTo=${encodeURIComponent(RETURN_TO)}`);
      expect(down.status).toBe(502);
      expect(down.body).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });

      const later = await startOidcProvider(downPort);
      try {
        await later.nextIdToken({ sub: 'later-employee', email: uniqueEmail(), email_verified: true });
        const landing = await signIn('/api/v1/auth/oidc/later');

        expect(landing.searchParams.get('login_code')).toBeTruthy();
      } finally {
        await later.stop();
      }
    });

    it('when the provider accepts only client_secret_post, then the secret goes in the token request body', async () => {
      await acme.advertise({ token_endpoint_auth_methods_supported: ['client_secret_post'] });
      const other = await startTestApp({ ...env(), OIDC_PROVIDERS: 'acme' }, database);
      try {
        await acme.nextIdToken({ sub: 'acme-post', email: uniqueEmail('acme.test'), email_verified: true });

        const landing = await signIn(ACME, RETURN_TO, other);

        expect(landing.searchParams.get('login_code')).toBeTruthy();
        expect((await acme.log()).tokenRequests).toEqual([{ clientAuth: 'client_secret_post', clientId: 'spendcast-acme-client', codeVerifier: true }]);
      } finally {
        await other.close();
      }
    });
  });
});
