import request from 'supertest';
import { startTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, flavor, type TestDatabase } from '../../support/database';

describe(`the HTTP stack of the whole product (${flavor})`, () => {
  let database: TestDatabase;
  let product: TestApp;

  beforeAll(async () => {
    database = await createTestDatabase();
    product = await startTestApp({ BODY_LIMIT_BYTES: '2048', CORS_ORIGINS: 'https://app.example.com' }, database);
  });

  afterAll(async () => {
    await product.close();
    await database.drop();
  });

  it('answers malformed JSON with 400 MALFORMED_JSON problem+json', async () => {
    const response = await request(product.app).post('/api/v1/anything').set('Content-Type', 'application/json').send('{"title": ');

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, code: 'MALFORMED_JSON', type: 'urn:spendcast:problem:malformed-json' });
  });

  it('answers a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await request(product.app).post('/api/v1/anything').send({ notes: 'x'.repeat(4096) });

    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limitBytes: 2048 });
  });

  it('answers an unknown route with 404 ROUTE_NOT_FOUND and the request id it was given', async () => {
    const response = await request(product.app).get('/api/v1/nowhere').set('X-Request-Id', 'trace-123');

    expect(response.status).toBe(404);
    expect(response.headers['x-request-id']).toBe('trace-123');
    expect(response.body).toMatchObject({ code: 'ROUTE_NOT_FOUND', requestId: 'trace-123', instance: '/api/v1/nowhere' });
  });

  it('exposes default and per-route request metrics for Prometheus', async () => {
    await request(product.app).get('/healthz').expect(200);

    const metrics = await request(product.app).get('/metrics').expect(200);

    expect(metrics.text).toContain('process_cpu_user_seconds_total');
    expect(metrics.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} [1-9]/);
    expect(metrics.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} [1-9]/);
  });

  it('lets allowed browser origins call the API and leaves others without CORS headers', async () => {
    const allowed = await request(product.app).get('/healthz').set('Origin', 'https://app.example.com');
    const other = await request(product.app).get('/healthz').set('Origin', 'https://evil.example.com');

    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('shares rate-limit counters between replicas through Redis', async () => {
    const limits = { RATE_LIMIT_MAX: '3', REDIS_URL: process.env.REDIS_URL!, TRUST_PROXY_HOPS: '1' };
    const [first, second] = [await startTestApp(limits, database), await startTestApp(limits, database)];
    try {
      // Unique client per run, so earlier runs' counters in the same Redis do not interfere.
      const client = `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.7`;
      const call = (replica: TestApp) => request(replica.app).get('/api/dev/mail').set('X-Forwarded-For', client);

      const statuses = [(await call(first)).status, (await call(second)).status, (await call(first)).status];
      const limited = await call(second);

      expect(statuses).not.toContain(429);
      expect(limited.status).toBe(429);
      expect(limited.body).toMatchObject({ code: 'RATE_LIMITED' });
    } finally {
      await first.close();
      await second.close();
    }
  });
});
