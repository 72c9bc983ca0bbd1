import request from 'supertest';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor } from '../../support/database';
import { bearer, given } from '../../support/given';

describe(`profile and settings (${flavor})`, () => {
  let product: TestApp;

  beforeAll(async () => {
    product = await startTestApp();
  });

  afterAll(() => product.close());

  it('changes names, birthday and settings and returns the new profile', async () => {
    const user = await given(product.app).user();

    const response = await request(product.app)
      .patch('/api/v1/me')
      .set(bearer(user))
      .send({ firstName: 'Ada', lastName: 'Lovelace', birthday: '1995-12-10', settings: { theme: 'dark', locale: 'en-GB', currency: 'GBP', timeZone: 'Europe/London' } });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', birthday: '1995-12-10', settings: { theme: 'dark', locale: 'en-GB', currency: 'GBP', timeZone: 'Europe/London' } });
    const again = await request(product.app).get('/api/v1/me').set(bearer(user));
    expect(again.body).toEqual(response.body);
  });

  it('refuses unknown currencies, time zones, themes and fields, naming each', async () => {
    const user = await given(product.app).user();

    const response = await request(product.app)
      .patch('/api/v1/me')
      .set(bearer(user))
      .send({ settings: { theme: 'neon', currency: 'XYZ', timeZone: 'Mars/Olympus' }, isAdmin: true });

    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['body', 'body.settings.currency', 'body.settings.theme', 'body.settings.timeZone']);
  });

  it('changes the username unless another user has it in any case', async () => {
    const user = await given(product.app).user();
    const other = await given(product.app).user();

    const taken = await request(product.app).patch('/api/v1/me').set(bearer(user)).send({ username: other.username!.toUpperCase() });
    const free = await request(product.app).patch('/api/v1/me').set(bearer(user)).send({ username: `fresh.${user.id.slice(0, 8)}` });

    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('USERNAME_TAKEN');
    expect(free.status).toBe(200);
  });

  it('needs a token to read or change the profile', async () => {
    expect((await request(product.app).get('/api/v1/me')).status).toBe(401);
    expect((await request(product.app).patch('/api/v1/me').send({ firstName: 'X' })).status).toBe(401);
  });
});
