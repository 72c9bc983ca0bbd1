/** @jest-environment @spendcast/ml-service/test/support/onnx-environment.js */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { announceServingModel } from '../../../src/app';
import { createModels } from '../../../src/modules/models';
import { appendToOutbox, Outbox, seal } from '../../../src/platform/bus';
import type { TestApp } from '../../support/app';
import { flavor, withClient } from '../../support/database';
import { until } from '../../support/events';
import { bearer, type GivenUser } from '../../support/given';
import { startMlHousehold, type TestMlService } from '../../support/ml-service';
import { createBill } from '../../support/spending';

/** The first day of the month `offset` months from this one (UTC, the test users' time zone). */
function month(offset: number): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1)).toISOString().slice(0, 10);
}
const spentIn = (offset: number, day = 10) => `${month(offset).slice(0, 8)}${String(day).padStart(2, '0')}T12:00:00Z`;
/** The household's big bill of a month: a yearly swing around 300. */
const householdBill = (offset: number) => (300 + 80 * Math.sin((2 * Math.PI * offset) / 12)).toFixed(2);

describe(`GET /api/v1/insights/forecast with ml-service (${flavor})`, () => {
  let ml: TestMlService;
  let product: TestApp;
  let admin: GivenUser;
  let member: GivenUser;
  let stranger: GivenUser;
  let groupId: string;

  beforeAll(async () => {
    ({ ml, product, admin, member, stranger, groupId } = await startMlHousehold('Household'));
    // 18 months of a household's spending, and a member's own small bills of the last 2 months.
    for (let offset = -18; offset <= -1; offset++) {
      await createBill(product.app, admin, { groupId, amount: householdBill(offset), spentAt: spentIn(offset) });
      await createBill(product.app, admin, { groupId, amount: '45.00', spentAt: spentIn(offset, 20) });
    }
    for (const offset of [-2, -1]) await createBill(product.app, member, { groupId, amount: '12.00', spentAt: spentIn(offset) });
  });

  afterAll(async () => {
    await product?.close();
    await ml?.stop();
  });

  const forecast = (user: GivenUser, query: Record<string, string | number> = {}) =>
    request(product.app).get('/api/v1/insights/forecast').query({ groupId, ...query }).set(bearer(user));
  /** Changes the rollup behind the app's back: only an answer from the cache still shows the old history. */
  const tamper = (minor: number) =>
    withClient(product.database.ownerUrl, (client) =>
      client.query(`UPDATE spend_daily SET total_base_minor = total_base_minor + $3 WHERE group_id = $1 AND user_id = $2 AND day = $4`, [groupId, admin.id, minor, spentIn(-1).slice(0, 10)]),
    );

  it('forecasts the next 3 months of a group with 18 months of history: ordered quantiles, by the model, with its version', async () => {
    const response = await forecast(admin);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ available: true, groupId, currency: 'EUR', visibility: 'all', interval: 'month', horizon: 3, method: 'model', fallback: null });
    expect(response.body.model).toEqual({ name: 'spendcast-forecast', version: expect.stringMatching(/\S/) });
    expect(response.body.history).toHaveLength(18);
    expect(response.body.history[0]).toEqual({ start: month(-18), amount: (Number(householdBill(-18)) + 45).toFixed(2), count: 2 });
    expect(response.body.history[17]).toEqual({ start: month(-1), amount: (Number(householdBill(-1)) + 45 + 12).toFixed(2), count: 3 });
    expect(response.body.periods.map((period: { start: string }) => period.start)).toEqual([month(0), month(1), month(2)]);
    for (const period of response.body.periods) {
      const [p10, p50, p90] = [period.p10, period.p50, period.p90].map(Number) as [number, number, number];
      expect(p10).toBeLessThanOrEqual(p50);
      expect(p50).toBeLessThanOrEqual(p90);
      expect(p50).toBeGreaterThan(0);
    }
  });

  it('passes the request id to ml-service, whose log carries it', async () => {
    const response = await forecast(admin, { interval: 'week' }).set('X-Request-Id', 'forecast-correlation-1');

    expect(response.body).toMatchObject({ available: true, interval: 'week' });
    expect(ml.logs).toContainEqual(expect.objectContaining({ method: 'Forecast', code: 'OK', correlationId: 'forecast-correlation-1' }));
  });

  it('gives a member of a group that hides bills a forecast of their own bills only, with the fallback for a short history', async () => {
    const response = await forecast(member);

    expect(response.body).toMatchObject({ available: true, visibility: 'own', method: 'fallback', fallback: 'recent-mean' });
    expect(response.body.history).toEqual([
      { start: month(-2), amount: '12.00', count: 1 },
      { start: month(-1), amount: '12.00', count: 1 },
    ]);
    expect(response.body.periods[0]).toMatchObject({ p10: '12.00', p50: '12.00', p90: '12.00' });
  });

  it('gives a member asking for another member’s forecast nothing to forecast from, as the bill listing does', async () => {
    const response = await forecast(member, { memberId: admin.id });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ available: false, reason: 'NO_HISTORY', history: [] });
  });

  it('answers from the cache until a bill of the group changes', async () => {
    const query = { horizon: 2 };
    const before = await forecast(admin, query);
    await tamper(100_000);
    try {
      expect((await forecast(admin, query)).body).toEqual(before.body);

      await createBill(product.app, member, { groupId, amount: '1.00', spentAt: spentIn(-2) });
      const after = await forecast(admin, query);

      const lastTwo = (body: { history: Array<{ amount: string }> }) => body.history.slice(-2).map((point) => Number(point.amount));
      expect(lastTwo(after.body)).toEqual([lastTwo(before.body)[0]! + 1, lastTwo(before.body)[1]! + 1000]);
    } finally {
      await tamper(-100_000);
    }
  });

  it('forgets its cached forecasts once a model is announced active', async () => {
    const query = { horizon: 4 };
    const lastAmount = (body: { history: Array<{ amount: string }> }) => body.history.at(-1)!.amount;
    const before = await forecast(admin, query);
    await tamper(100_000);
    try {
      expect((await forecast(admin, query)).body).toEqual(before.body);

      // As the model registry announces a promotion: through the outbox, in the relay's own time.
      const { name, version } = before.body.model as { name: string; version: string };
      const promoted = seal({ scopeKey: name, payload: { case: 'modelRegistered', value: { name, version, status: 'active', artifactKey: `models/${name}/${version}/model.onnx` } } }, { eventId: randomUUID(), occurredAt: new Date() });
      await withClient(product.database.ownerUrl, (client) => appendToOutbox(client, promoted));

      await until(async () => lastAmount((await forecast(admin, query)).body) !== lastAmount(before.body), 15_000, 'a forecast from the changed history');
    } finally {
      await tamper(-100_000);
    }
  });

  it('caches forecasts again once the start-up announces the model that serves, after an upgrade left another one announced', async () => {
    const query = { horizon: 5 };
    const lastAmount = (body: { history: Array<{ amount: string }> }) => body.history.at(-1)!.amount;
    const before = await forecast(admin, query);
    // A model promoted before an upgrade changed the forecast features: announced active, while ml-service,
    // unable to feed it, serves the shipped model.
    const { name } = before.body.model as { name: string };
    const unfed = seal({ scopeKey: name, payload: { case: 'modelRegistered', value: { name, version: '2000.01.01', status: 'active', artifactKey: `models/${name}/2000.01.01/model.onnx` } } }, { eventId: randomUUID(), occurredAt: new Date() });
    await withClient(product.database.ownerUrl, (client) => appendToOutbox(client, unfed));
    let tampered = 0;
    const change = async (minor: number) => {
      await tamper(minor);
      tampered += minor;
    };
    await change(100_000);
    try {
      await until(async () => lastAmount((await forecast(admin, query)).body) !== lastAmount(before.body), 15_000, 'the announcement of the unfed model');
      // No forecast is kept while the model announced is not the one answering.
      const uncached = await forecast(admin, query);
      await change(1_000);
      expect(lastAmount((await forecast(admin, query)).body)).not.toBe(lastAmount(uncached.body));

      const { registry } = createModels({ ...product.runtime, config: product.runtime.config.models, events: new Outbox(product.runtime.transactions) });
      await announceServingModel(registry, product.built.servingModel, name);

      const cached = await forecast(admin, query);
      await change(1_000);
      expect((await forecast(admin, query)).body).toEqual(cached.body);
    } finally {
      await tamper(-tampered);
    }
  });

  it('answers 404 GROUP_NOT_FOUND to someone outside the group, and 401 without a token', async () => {
    const response = await forecast(stranger);

    expect(response.status).toBe(404);
    expect(response.body.code).toBe('GROUP_NOT_FOUND');
    expect((await request(product.app).get('/api/v1/insights/forecast')).status).toBe(401);
  });

  it.each<Record<string, string | number>>([{ interval: 'day' }, { horizon: 0 }, { horizon: 7 }, { horizon: 'soon' }, { groupId: 'not-a-uuid' }, { from: '2026-01-01' }])(
    'refuses bad input with 400 VALIDATION_FAILED (%o)',
    async (query) => {
      const response = await forecast(admin, query);

      expect(response.status).toBe(400);
      expect(response.type).toBe('application/problem+json');
      expect(response.body.code).toBe('VALIDATION_FAILED');
    },
  );

  // Last: it stops ml-service.
  it('answers available: false with the history once ml-service is stopped, while the dashboard’s summary keeps working', async () => {
    await ml.stop();

    const response = await forecast(admin, { horizon: 1 });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ available: false, reason: 'UNAVAILABLE', message: 'ml-service is unavailable.' });
    expect(response.body.history).toHaveLength(18);
    const summary = await request(product.app).get('/api/v1/insights/summary').query({ groupId }).set(bearer(admin));
    expect(summary.status).toBe(200);
  });
});
