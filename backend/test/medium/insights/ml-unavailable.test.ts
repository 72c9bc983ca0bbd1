import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor } from '../../support/database';
import { bearer, given, type GivenUser } from '../../support/given';
import { createBill } from '../../support/spending';

const lastMonth = () => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 10, 12)).toISOString();
};

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work();
  return { result, ms: performance.now() - started };
}

describe(`insights without ml-service (${flavor})`, () => {
  describe('when ML_GRPC_URL is not set', () => {
    let product: TestApp;
    let user: GivenUser;

    beforeAll(async () => {
      product = await startTestApp();
      user = await given(product.app).user();
      await createBill(product.app, user, { amount: '20.00', spentAt: lastMonth() });
    });

    afterAll(() => product?.close());

    it('answers forecasts and anomalies with available: false and NOT_CONFIGURED, and the history it has', async () => {
      const forecast = await request(product.app).get('/api/v1/insights/forecast').set(bearer(user));
      const anomalies = await request(product.app).get('/api/v1/insights/anomalies').query({ from: lastMonth().slice(0, 10) }).set(bearer(user));

      expect(forecast.status).toBe(200);
      expect(forecast.body).toMatchObject({ available: false, reason: 'NOT_CONFIGURED', history: [{ amount: '20.00', count: 1 }] });
      expect(anomalies.status).toBe(200);
      expect(anomalies.body).toMatchObject({ available: false, reason: 'NOT_CONFIGURED' });
    });
  });

  describe('when ml-service accepts connections but never answers', () => {
    const DEADLINE_MS = 1_000;
    let hung: Server;
    const sockets: Socket[] = [];
    let product: TestApp;
    let user: GivenUser;

    beforeAll(async () => {
      hung = createServer((socket) => void sockets.push(socket)).listen(0, '127.0.0.1');
      await once(hung, 'listening');
      product = await startTestApp({ ML_GRPC_URL: `http://127.0.0.1:${(hung.address() as AddressInfo).port}`, ML_DEADLINE_MS: String(DEADLINE_MS) });
      user = await given(product.app).user();
      await createBill(product.app, user, { amount: '20.00', spentAt: lastMonth() });
    });

    afterAll(async () => {
      await product?.close();
      for (const socket of sockets) socket.destroy();
      hung?.close();
    });

    const forecast = () => request(product.app).get('/api/v1/insights/forecast').set(bearer(user));

    it('waits for the deadline until the circuit breaker opens, then answers at once, for anomalies too, while the summary keeps working', async () => {
      const timedOut = [];
      for (let call = 0; call < 3; call++) timedOut.push(await timed(forecast));
      const open = await timed(forecast);
      const anomalies = await timed(() => request(product.app).get('/api/v1/insights/anomalies').query({ from: lastMonth().slice(0, 10) }).set(bearer(user)));

      for (const { result, ms } of timedOut) {
        expect(result.body).toMatchObject({ available: false, reason: 'TIMEOUT', history: [{ amount: '20.00' }] });
        expect(ms).toBeGreaterThanOrEqual(DEADLINE_MS * 0.9);
      }
      expect(open.result.status).toBe(200);
      expect(open.result.body).toMatchObject({ available: false, reason: 'CIRCUIT_OPEN', history: [{ amount: '20.00' }] });
      expect(open.ms).toBeLessThan(DEADLINE_MS / 4);
      expect(anomalies.result.body).toMatchObject({ available: false, reason: 'CIRCUIT_OPEN' });
      expect(anomalies.ms).toBeLessThan(DEADLINE_MS / 4);
      expect((await request(product.app).get('/api/v1/insights/summary').set(bearer(user))).status).toBe(200);
      expect((await request(product.app).get('/metrics')).text).toMatch(/^ml_circuit_open 1$/m);
    });
  });
});
