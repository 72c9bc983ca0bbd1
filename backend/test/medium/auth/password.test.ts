import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor } from '../../support/database';
import { given, PASSWORD } from '../../support/given';

describe(`password sign-up and sign-in (${flavor})`, () => {
  let product: TestApp;

  beforeAll(async () => {
    product = await startTestApp({ LOGIN_RATE_LIMIT_PER_ACCOUNT: '3', LOGIN_RATE_LIMIT_PER_IP: '1000' });
  });

  afterAll(() => product.close());

  it('registers an account that is signed in but not yet onboarded', async () => {
    const response = await request(product.app).post('/api/v1/auth/register').send({ email: `new-${randomUUID()}@example.com`, password: PASSWORD });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ status: 'signed-in', tokenType: 'Bearer', expiresIn: 900, onboarded: false });
    expect(response.body.accessToken.split('.')).toHaveLength(3);
  });

  it('refuses a password shorter than 10 characters with 400 naming the field', async () => {
    const response = await request(product.app).post('/api/v1/auth/register').send({ email: `short-${randomUUID()}@example.com`, password: 'nine-char' });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ field: 'body.password', message: 'must be at least 10 characters' }]);
  });

  it('refuses a second account for the same email in another case with 409 EMAIL_TAKEN', async () => {
    const email = `taken-${randomUUID()}@example.com`;
    await request(product.app).post('/api/v1/auth/register').send({ email, password: PASSWORD }).expect(201);

    const again = await request(product.app).post('/api/v1/auth/register').send({ email: email.toUpperCase(), password: PASSWORD });

    expect(again.status).toBe(409);
    expect(again.body.code).toBe('EMAIL_TAKEN');
  });

  it('signs in with the right password, whatever the email case', async () => {
    const user = await given(product.app).user();

    const response = await request(product.app).post('/api/v1/auth/login').send({ email: user.email.toUpperCase(), password: PASSWORD });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'signed-in', onboarded: true });
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const user = await given(product.app).user();

    const wrongPassword = await request(product.app).post('/api/v1/auth/login').send({ email: user.email, password: 'not the password at all' });
    const unknownEmail = await request(product.app).post('/api/v1/auth/login').send({ email: `nobody-${randomUUID()}@example.com`, password: 'not the password at all' });

    const shape = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(shape(unknownEmail.body)).toEqual(shape(wrongPassword.body));
    expect(wrongPassword.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('takes about as long for an unknown email as for a wrong password (both run argon2)', async () => {
    const user = await given(product.app).user();
    // Three attempts per email: the per-account limit of this app admits exactly three failures.
    const median = async (email: string) => {
      const times: number[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const started = performance.now();
        await request(product.app).post('/api/v1/auth/login').send({ email, password: `wrong password ${attempt}` }).expect(401);
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b)[1]!;
    };
    const wrong = await median(user.email);
    const unknown = await median(`ghost-${randomUUID()}@example.com`);

    expect(unknown / wrong).toBeGreaterThan(0.5);
    expect(unknown / wrong).toBeLessThan(2);
  });

  it('locks an account against guessing after the configured number of failures with 429 LOGIN_RATE_LIMITED', async () => {
    const user = await given(product.app).user();
    const attempt = (password: string) => request(product.app).post('/api/v1/auth/login').send({ email: user.email, password });

    const statuses = [(await attempt('guess one!!')).status, (await attempt('guess two!!')).status, (await attempt('guess three')).status];
    const locked = await attempt(PASSWORD);

    expect(statuses).toEqual([401, 401, 401]);
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe('LOGIN_RATE_LIMITED');
  });
});
