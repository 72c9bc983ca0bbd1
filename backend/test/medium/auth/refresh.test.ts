import request from 'supertest';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor } from '../../support/database';
import { bearer, given, PASSWORD } from '../../support/given';

describe(`refresh tokens (${flavor})`, () => {
  let product: TestApp;

  beforeAll(async () => {
    product = await startTestApp();
  });

  afterAll(() => product.close());

  const refresh = (refreshToken: string) => request(product.app).post('/api/v1/auth/refresh').send({ refreshToken });

  it('rotates the refresh token on every use and the new access token works', async () => {
    const user = await given(product.app).user();

    const first = await refresh(user.refreshToken).expect(200);
    const second = await refresh(first.body.refreshToken).expect(200);

    expect(first.body.refreshToken).not.toBe(user.refreshToken);
    expect(second.body.refreshToken).not.toBe(first.body.refreshToken);
    await request(product.app).get('/api/v1/me').set(bearer(second.body)).expect(200);
  });

  it('revokes the whole family when a used refresh token is presented again', async () => {
    const user = await given(product.app).user();
    const rotated = await refresh(user.refreshToken).expect(200);

    const reuse = await refresh(user.refreshToken);
    const afterReuse = await refresh(rotated.body.refreshToken);

    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_INVALID');
    expect(afterReuse.status).toBe(401);
  });

  it('keeps other sign-ins of the same user when one family is revoked', async () => {
    const user = await given(product.app).user();
    const otherDevice = await request(product.app).post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD }).expect(200);
    await refresh(user.refreshToken).expect(200);

    await refresh(user.refreshToken).expect(401);

    await refresh(otherDevice.body.refreshToken).expect(200);
  });

  it('signs out on logout: the family’s refresh tokens stop working', async () => {
    const user = await given(product.app).user();

    await request(product.app).post('/api/v1/auth/logout').send({ refreshToken: user.refreshToken }).expect(204);

    await refresh(user.refreshToken).expect(401);
  });

  it('refuses garbage and forged refresh tokens with 401 and a malformed body with 400', async () => {
    const user = await given(product.app).user();
    const forged = `${user.id}.${'A'.repeat(43)}`;

    expect((await refresh('not-a-token')).status).toBe(401);
    expect((await refresh(forged)).status).toBe(401);
    expect((await request(product.app).post('/api/v1/auth/refresh').send({ token: 'x' })).status).toBe(400);
  });

  it('gives a refreshed access token the onboarding the user completed meanwhile', async () => {
    const user = await given(product.app).user({ onboarded: false });
    await request(product.app).get('/api/v1/categories').set(bearer(user)).expect(403);
    await request(product.app)
      .post('/api/v1/me/onboarding')
      .set(bearer(user))
      .send({ username: `late_${user.id.slice(0, 8)}`, firstName: 'Late', lastName: 'Comer', birthday: '1985-01-31', start: { mode: 'single' } })
      .expect(201);

    const refreshed = await refresh(user.refreshToken).expect(200);

    expect(refreshed.body.onboarded).toBe(true);
    await request(product.app).get('/api/v1/categories').set(bearer(refreshed.body)).expect(200);
  });
});
