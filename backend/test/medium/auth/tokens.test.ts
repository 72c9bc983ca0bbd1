import request from 'supertest';
import { createLocalJWKSet, decodeJwt, generateKeyPair, importPKCS8, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor } from '../../support/database';
import { given, type GivenUser } from '../../support/given';

describe(`access tokens (${flavor})`, () => {
  let product: TestApp;
  let user: GivenUser;
  let signingKey: CryptoKey;

  beforeAll(async () => {
    product = await startTestApp();
    user = await given(product.app).user();
    // The product's own key (embedded default: kept under DATA_DIR/keys), to forge tokens that differ in one claim only.
    const pem = await readFile(path.join(product.runtime.config.auth.keysDirectory, 'jwt-ed25519.pem'), 'utf8');
    signingKey = await importPKCS8(pem, 'EdDSA');
  });

  afterAll(() => product.close());

  const me = (token: string) => request(product.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);

  function forge(overrides: { audience?: string; issuer?: string; expiresAt?: number; key?: CryptoKey } = {}) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ onb: true })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject(user.id)
      .setIssuer(overrides.issuer ?? product.runtime.config.auth.issuer)
      .setAudience(overrides.audience ?? 'spendcast-api')
      .setIssuedAt(now - 60)
      .setExpirationTime(overrides.expiresAt ?? now + 300)
      .sign(overrides.key ?? signingKey);
  }

  it('accepts a token signed by the product for its own audience and issuer', async () => {
    expect((await me(await forge())).status).toBe(200);
  });

  it('publishes the public key at /.well-known/jwks.json and the token verifies against it', async () => {
    const jwks = await request(product.app).get('/.well-known/jwks.json').expect(200);

    const { payload, protectedHeader } = await jwtVerify(user.accessToken, createLocalJWKSet(jwks.body), { audience: 'spendcast-api' });

    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload.sub).toBe(user.id);
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(900);
    expect(JSON.stringify(jwks.body)).not.toContain('"d"');
  });

  it('refuses a token whose signature was tampered with, with 401 TOKEN_INVALID', async () => {
    const [header, , signature] = user.accessToken.split('.');
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(user.accessToken), sub: '00000000-0000-4000-8000-000000000000' })).toString('base64url');

    const response = await me(`${header}.${payload}.${signature}`);

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('TOKEN_INVALID');
    expect(response.headers['www-authenticate']).toContain('invalid_token');
  });

  it('refuses an unsigned token (alg: none)', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(decodeJwt(user.accessToken))).toString('base64url');

    const response = await me(`${header}.${payload}.`);

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('TOKEN_INVALID');
  });

  it('refuses a token signed by another key', async () => {
    const { privateKey } = await generateKeyPair('EdDSA');
    expect((await me(await forge({ key: privateKey }))).body.code).toBe('TOKEN_INVALID');
  });

  it('refuses an expired token with 401 TOKEN_EXPIRED', async () => {
    const response = await me(await forge({ expiresAt: Math.floor(Date.now() / 1000) - 120 }));

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('TOKEN_EXPIRED');
  });

  it('refuses a token for another audience', async () => {
    expect((await me(await forge({ audience: 'some-other-api' }))).body.code).toBe('TOKEN_INVALID');
  });

  it('refuses a token from another issuer', async () => {
    expect((await me(await forge({ issuer: 'https://evil.example.com' }))).body.code).toBe('TOKEN_INVALID');
  });

  it('refuses a request without a token with 401 UNAUTHENTICATED', async () => {
    const response = await request(product.app).get('/api/v1/me');

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('UNAUTHENTICATED');
    expect(response.headers['www-authenticate']).toBe('Bearer');
  });
});
