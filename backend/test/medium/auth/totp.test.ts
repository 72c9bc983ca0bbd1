import request from 'supertest';
import { generate } from 'otplib';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor } from '../../support/database';
import { bearer, given, PASSWORD, type GivenUser } from '../../support/given';

describe(`two-factor authentication with TOTP (${flavor})`, () => {
  let product: TestApp;

  beforeAll(async () => {
    product = await startTestApp();
  });

  afterAll(() => product.close());

  /** A code for the step after `afterSeconds`, so two codes in one test never share a time step. */
  const codeAt = (secret: string, offsetSteps = 0) => generate({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });

  async function withTotp(): Promise<{ user: GivenUser; secret: string; recoveryCodes: string[] }> {
    const user = await given(product.app).user();
    const setup = await request(product.app).post('/api/v1/auth/totp/setup').set(bearer(user)).expect(200);
    const enabled = await request(product.app).post('/api/v1/auth/totp/verify').set(bearer(user)).send({ code: await codeAt(setup.body.secret, -1) }).expect(200);
    return { user, secret: setup.body.secret, recoveryCodes: enabled.body.recoveryCodes };
  }

  const login = (user: GivenUser) => request(product.app).post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);

  it('sets up with a secret and an otpauth:// URI and turns on only after a valid code', async () => {
    const user = await given(product.app).user();
    const setup = await request(product.app).post('/api/v1/auth/totp/setup').set(bearer(user)).expect(200);

    const wrong = await request(product.app).post('/api/v1/auth/totp/verify').set(bearer(user)).send({ code: '000000' });
    const stillPassword = await login(user);
    const right = await request(product.app).post('/api/v1/auth/totp/verify').set(bearer(user)).send({ code: await codeAt(setup.body.secret) });

    expect(setup.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Spendcast:.+\?.*secret=/);
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('TOTP_CODE_INVALID');
    expect(stillPassword.body.status).toBe('signed-in');
    expect(right.status).toBe(200);
    expect(right.body.recoveryCodes).toHaveLength(10);
    expect(new Set(right.body.recoveryCodes).size).toBe(10);
  });

  it('asks for a code after the password and signs in with it', async () => {
    const { user, secret } = await withTotp();

    const first = await login(user);
    const second = await request(product.app).post('/api/v1/auth/mfa').send({ challenge: first.body.challenge, code: await codeAt(secret) });

    expect(first.body).toEqual({ status: 'mfa-required', challenge: expect.any(String) });
    expect(first.body.accessToken).toBeUndefined();
    expect(second.status).toBe(200);
    expect(second.body.status).toBe('signed-in');
  });

  it('refuses a code that was used already, even with a fresh challenge', async () => {
    const { user, secret } = await withTotp();
    const code = await codeAt(secret);
    await request(product.app).post('/api/v1/auth/mfa').send({ challenge: (await login(user)).body.challenge, code }).expect(200);

    const replay = await request(product.app).post('/api/v1/auth/mfa').send({ challenge: (await login(user)).body.challenge, code });

    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('TOTP_CODE_INVALID');
  });

  it('accepts each recovery code once instead of a code', async () => {
    const { user, recoveryCodes } = await withTotp();
    const recoveryCode = recoveryCodes[0]!;

    const once = await request(product.app).post('/api/v1/auth/mfa').send({ challenge: (await login(user)).body.challenge, recoveryCode });
    const twice = await request(product.app).post('/api/v1/auth/mfa').send({ challenge: (await login(user)).body.challenge, recoveryCode });

    expect(once.status).toBe(200);
    expect(twice.status).toBe(401);
  });

  it('refuses a forged or missing challenge', async () => {
    const { secret } = await withTotp();

    const response = await request(product.app).post('/api/v1/auth/mfa').send({ challenge: 'forged', code: await codeAt(secret) });
    const missing = await request(product.app).post('/api/v1/auth/mfa').send({ code: '123456' });

    expect(response.status).toBe(401);
    expect(response.body.code).toBe('MFA_CHALLENGE_INVALID');
    expect(missing.status).toBe(400);
  });

  it('turns off with a current code, after which the password alone signs in', async () => {
    const { user, secret } = await withTotp();

    await request(product.app).post('/api/v1/auth/totp/disable').set(bearer(user)).send({ code: await codeAt(secret) }).expect(204);

    expect((await login(user)).body.status).toBe('signed-in');
  });

  it('needs a token for setup, verify and disable', async () => {
    for (const step of ['setup', 'verify', 'disable']) {
      expect((await request(product.app).post(`/api/v1/auth/totp/${step}`).send({ code: '123456' })).status).toBe(401);
    }
  });
});
