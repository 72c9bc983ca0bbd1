import pino from 'pino';
import request from 'supertest';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor } from '../../support/database';
import { bearer, given, PASSWORD } from '../../support/given';
import { startDisposableRedis, type DisposableRedis } from '../../support/redis-server';

describe(`losing Redis (${flavor})`, () => {
  let redis: DisposableRedis;
  let product: TestApp;
  const warnings: string[] = [];

  beforeAll(async () => {
    redis = await startDisposableRedis();
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(JSON.parse(line).msg) });
    product = await startTestApp({ REDIS_URL: redis.url }, undefined, logger);
  });

  afterEach(() => jest.restoreAllMocks());

  afterAll(async () => {
    await product.close().catch(() => undefined);
    await redis.stop();
  });

  it('signs nobody out: refresh, authenticated calls and password sign-in keep working', async () => {
    const user = await given(product.app).user();
    // The rate limiters then let requests through, and the client keeps reconnecting: both say so in
    // the product's log (the client once, not at every attempt), not on the console.
    const consoleOutput = [jest.spyOn(console, 'error'), jest.spyOn(console, 'warn')];
    const failedReconnect = new Promise<void>((resolve) => {
      let attempts = 0;
      product.runtime.redis!.on('reconnecting', () => ++attempts === 2 && resolve());
    });

    await redis.stop();

    const refreshed = await request(product.app).post('/api/v1/auth/refresh').send({ refreshToken: user.refreshToken });
    expect(refreshed.status).toBe(200);
    expect((await request(product.app).get('/api/v1/me').set(bearer(refreshed.body))).status).toBe(200);
    expect((await request(product.app).post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD })).body.status).toBe('signed-in');
    await failedReconnect;
    for (const spy of consoleOutput) expect(spy).not.toHaveBeenCalled();
    expect(warnings.filter((message) => message.startsWith('Redis unreachable'))).toHaveLength(1);
    expect(warnings).toContain('express-rate-limit: error from store, allowing request without rate-limiting.');
  });

  it('turns cache reads into misses and drops writes instead of failing', async () => {
    await redis.stop();

    await expect(product.runtime.cache.set('outage-key', 'value', 60)).resolves.toBeUndefined();
    await expect(product.runtime.cache.get('outage-key')).resolves.toBeUndefined();
    await expect(product.runtime.cache.take('outage-key')).resolves.toBeUndefined();
  });
});
