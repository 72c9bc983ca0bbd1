import request from 'supertest';
import { outboxEvents } from '../../support/events';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor, withClient } from '../../support/database';
import { bearer, given, type GivenUser } from '../../support/given';
import { categoriesOf, changeBill, createBill, deleteBill, groupOf, join, utcDay } from '../../support/spending';

const today = utcDay();
const monthStart = `${today.slice(0, 8)}01`;
const lastMonth = (() => {
  const date = new Date(`${monthStart}T00:00:00Z`);
  date.setUTCMonth(date.getUTCMonth() - 1);
  return date.toISOString().slice(0, 10);
})();

describe(`budgets (${flavor})`, () => {
  let product: TestApp;
  let admin: GivenUser;
  let member: GivenUser;
  let stranger: GivenUser;
  let groupId: string;
  let groupCategories: string[];

  beforeAll(async () => {
    product = await startTestApp();
    admin = await given(product.app).user({ groupName: 'Office' });
    member = await given(product.app).user();
    stranger = await given(product.app).user();
    groupId = await groupOf(product.app, admin);
    await join(product.app, admin, groupId, member);
    groupCategories = await categoriesOf(product.app, admin, groupId);
  });

  afterAll(() => product.close());

  const api = (user: GivenUser | undefined, method: 'get' | 'post' | 'patch' | 'delete', path: string) => {
    const call = request(product.app)[method](path);
    return user ? call.set(bearer(user)) : call;
  };
  const personalCategory = async (user: GivenUser) => {
    const existing = await categoriesOf(product.app, user);
    if (existing.length > 0) return existing[0]!;
    return (await api(user, 'post', '/api/v1/categories').send({ name: 'Food', color: '#43a047', icon: 'cart-outline' }).expect(201)).body.id as string;
  };
  const thresholdEvents = async (budgetId: string) => (await outboxEvents(product.database.ownerUrl, 'budget.threshold_crossed')).filter((event) => event.payload.budgetId === budgetId);

  describe('personal budgets', () => {
    it('creates, lists, changes and deletes a budget', async () => {
      const user = await given(product.app).user();
      const categoryId = await personalCategory(user);

      const created = await api(user, 'post', '/api/v1/budgets').send({ categoryId, period: 'month', amount: '200.00' });
      expect(created.status).toBe(201);
      expect(created.headers.location).toBe(`/api/v1/budgets/${created.body.id}`);
      expect(created.body).toMatchObject({ groupId: null, categoryId, period: 'month', amount: '200.00', currency: 'EUR', periodStart: monthStart, spent: '0.00', remaining: '200.00', percent: 0 });

      const listed = await api(user, 'get', '/api/v1/budgets');
      expect(listed.body.items.map((budget: { id: string }) => budget.id)).toEqual([created.body.id]);

      const changed = await api(user, 'patch', `/api/v1/budgets/${created.body.id}`).send({ amount: '150.50', period: 'week' });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ amount: '150.50', period: 'week', categoryId });
      expect(changed.body.periodEnd > changed.body.periodStart).toBe(true);

      expect((await api(user, 'delete', `/api/v1/budgets/${created.body.id}`)).status).toBe(204);
      expect((await api(user, 'get', '/api/v1/budgets')).body.items).toEqual([]);
      const gone = await api(user, 'patch', `/api/v1/budgets/${created.body.id}`).send({ amount: '1.00' });
      expect(gone.status).toBe(404);
      expect(gone.body.code).toBe('BUDGET_NOT_FOUND');
    });

    it('records every change in the audit log', async () => {
      const user = await given(product.app).user();
      const created = await api(user, 'post', '/api/v1/budgets').send({ amount: '10.00' }).expect(201);
      await api(user, 'patch', `/api/v1/budgets/${created.body.id}`).send({ amount: '11.00' }).expect(200);

      const actions = await withClient(product.database.ownerUrl, async (client) =>
        (await client.query(`SELECT action, actor_id FROM audit_logs WHERE target_type = 'budget' AND target_id = $1 ORDER BY seq`, [created.body.id])).rows,
      );
      expect(actions).toEqual([
        { action: 'budget.created', actor_id: user.id },
        { action: 'budget.updated', actor_id: user.id },
      ]);
    });

    it('refuses a second budget for the same category and period with 409, and another scope’s category with 422', async () => {
      const user = await given(product.app).user();
      await api(user, 'post', '/api/v1/budgets').send({ amount: '100.00' }).expect(201);

      const twice = await api(user, 'post', '/api/v1/budgets').send({ amount: '50.00', period: 'month' });
      const weekly = await api(user, 'post', '/api/v1/budgets').send({ amount: '50.00', period: 'week' });
      const foreign = await api(user, 'post', '/api/v1/budgets').send({ amount: '50.00', categoryId: groupCategories[0] });
      const zero = await api(user, 'post', '/api/v1/budgets').send({ amount: '0.00', period: 'week', categoryId: await personalCategory(user) });

      expect([twice.status, twice.body.code]).toEqual([409, 'BUDGET_EXISTS']);
      expect(weekly.status).toBe(201);
      expect([foreign.status, foreign.body.code]).toEqual([422, 'CATEGORY_NOT_USABLE']);
      expect([zero.status, zero.body.code]).toEqual([422, 'INVALID_AMOUNT']);
    });

    it('shows what was spent against the budget in the current period, or in the period of ?at=', async () => {
      const user = await given(product.app).user();
      const categoryId = await personalCategory(user);
      const other = (await api(user, 'post', '/api/v1/categories').send({ name: 'Other things', color: '#000000', icon: 'help-outline' }).expect(201)).body.id;
      const budget = (await api(user, 'post', '/api/v1/budgets').send({ categoryId, amount: '100.00' }).expect(201)).body;
      const everything = (await api(user, 'post', '/api/v1/budgets').send({ amount: '1000.00' }).expect(201)).body;
      await createBill(product.app, user, { amount: '30.00', categoryId });
      await createBill(product.app, user, { amount: '20.00', categoryId: other });
      await createBill(product.app, user, { amount: '15.00', categoryId, spentAt: `${lastMonth.slice(0, 8)}15T12:00:00Z` });

      const now = (await api(user, 'get', '/api/v1/budgets').expect(200)).body.items;
      const before = (await api(user, 'get', '/api/v1/budgets').query({ at: `${lastMonth.slice(0, 8)}20` }).expect(200)).body.items;

      const byId = (items: Array<{ id: string }>, id: string) => items.find((item) => item.id === id);
      expect(byId(now, budget.id)).toMatchObject({ periodStart: monthStart, spent: '30.00', remaining: '70.00', percent: 30 });
      expect(byId(now, everything.id)).toMatchObject({ spent: '50.00', remaining: '950.00', percent: 5 });
      expect(byId(before, budget.id)).toMatchObject({ periodStart: lastMonth, spent: '15.00' });
    });

    it('raises budget.threshold_crossed at 80 % and at 100 %, once each in a period', async () => {
      const user = await given(product.app).user();
      const budget = (await api(user, 'post', '/api/v1/budgets').send({ amount: '100.00' }).expect(201)).body;

      await createBill(product.app, user, { amount: '50.00' });
      expect(await thresholdEvents(budget.id)).toEqual([]);
      await createBill(product.app, user, { amount: '10.00', spentAt: `${lastMonth.slice(0, 8)}15T12:00:00Z` });
      const bill = await createBill(product.app, user, { amount: '20.00' });
      expect(await thresholdEvents(budget.id)).toEqual([]);

      await changeBill(product.app, user, bill, { amount: '35.00' });
      const afterEighty = await thresholdEvents(budget.id);
      await createBill(product.app, user, { amount: '10.00' });
      expect(await thresholdEvents(budget.id)).toEqual(afterEighty);
      const last = await createBill(product.app, user, { amount: '10.00' });
      await deleteBill(product.app, user, last.id);
      await createBill(product.app, user, { amount: '20.00' });

      const payload = { budgetId: budget.id, groupId: '', userId: user.id, categoryId: '', periodStart: monthStart, amount: '100.00', currency: 'EUR' };
      expect(afterEighty).toEqual([{ scope_key: user.id, payload: { ...payload, threshold: 80, spent: '85.00' } }]);
      expect(await thresholdEvents(budget.id)).toEqual([
        { scope_key: user.id, payload: { ...payload, threshold: 80, spent: '85.00' } },
        { scope_key: user.id, payload: { ...payload, threshold: 100, spent: '105.00' } },
      ]);
      expect(
        await withClient(product.database.ownerUrl, async (client) => (await client.query(`SELECT threshold FROM budget_alerts WHERE budget_id = $1 ORDER BY threshold`, [budget.id])).rows),
      ).toEqual([{ threshold: 80 }, { threshold: 100 }]);
    });

    it('raises both thresholds at once when one bill crosses both, and none for other categories', async () => {
      const user = await given(product.app).user();
      const categoryId = await personalCategory(user);
      const budget = (await api(user, 'post', '/api/v1/budgets').send({ amount: '40.00', categoryId, period: 'week' }).expect(201)).body;

      await createBill(product.app, user, { amount: '99.00' });
      expect(await thresholdEvents(budget.id)).toEqual([]);
      await createBill(product.app, user, { amount: '45.00', categoryId });

      expect((await thresholdEvents(budget.id)).map((event) => [event.payload.threshold, event.payload.periodStart, event.payload.spent])).toEqual([
        [80, budget.periodStart, '45.00'],
        [100, budget.periodStart, '45.00'],
      ]);
    });
  });

  describe('group budgets', () => {
    let budgetId: string;

    beforeAll(async () => {
      const created = await api(admin, 'post', '/api/v1/budgets').send({ groupId, categoryId: groupCategories[0], amount: '50.00' });
      expect(created.status).toBe(201);
      budgetId = created.body.id;
    });

    it('lets members read the group’s budgets and spent by the whole group', async () => {
      await createBill(product.app, admin, { amount: '5.00', groupId, categoryId: groupCategories[0] });

      const response = await api(member, 'get', '/api/v1/budgets').query({ groupId });

      expect(response.status).toBe(200);
      expect(response.body.items).toEqual([expect.objectContaining({ id: budgetId, groupId, amount: '50.00', spent: '5.00' })]);
      expect((await api(member, 'get', '/api/v1/budgets')).body.items).toEqual([]);
    });

    it('refuses members changing the group’s budgets with 403', async () => {
      const create = await api(member, 'post', '/api/v1/budgets').send({ groupId, amount: '10.00' });
      const change = await api(member, 'patch', `/api/v1/budgets/${budgetId}`).send({ amount: '1.00' });
      const remove = await api(member, 'delete', `/api/v1/budgets/${budgetId}`);

      for (const response of [create, change, remove]) expect([response.status, response.body.code]).toEqual([403, 'NOT_GROUP_ADMIN']);
      expect((await api(admin, 'get', '/api/v1/budgets').query({ groupId })).body.items[0].amount).toBe('50.00');
    });

    it('hides the group’s budgets from everyone else with 404', async () => {
      const list = await api(stranger, 'get', '/api/v1/budgets').query({ groupId });
      const create = await api(stranger, 'post', '/api/v1/budgets').send({ groupId, amount: '10.00' });
      const change = await api(stranger, 'patch', `/api/v1/budgets/${budgetId}`).send({ amount: '1.00' });
      const remove = await api(stranger, 'delete', `/api/v1/budgets/${budgetId}`);

      expect([list.status, list.body.code]).toEqual([404, 'GROUP_NOT_FOUND']);
      expect([create.status, create.body.code]).toEqual([404, 'GROUP_NOT_FOUND']);
      expect([change.status, change.body.code]).toEqual([404, 'BUDGET_NOT_FOUND']);
      expect([remove.status, remove.body.code]).toEqual([404, 'BUDGET_NOT_FOUND']);
    });

    it('counts every member’s bills toward the thresholds, even those a member may not see', async () => {
      const budget = (await api(admin, 'post', '/api/v1/budgets').send({ groupId, amount: '100.00', period: 'week' }).expect(201)).body;
      await createBill(product.app, admin, { amount: '70.00', groupId });
      expect(await thresholdEvents(budget.id)).toEqual([]);

      await createBill(product.app, member, { amount: '12.00', groupId });
      await createBill(product.app, member, { amount: '30.00', groupId });

      expect((await thresholdEvents(budget.id)).map((event) => [event.scope_key, event.payload.threshold, event.payload.spent])).toEqual([
        [groupId, 80, '87.00'],
        [groupId, 100, '117.00'],
      ]);
    });

    describe('at the turn of a month that the group and a member see on different days', () => {
      // 20:00 UTC on the last day of this month: already the 1st of the next on Kiritimati (UTC+14), the
      // group's zone; still the last day on Pago Pago (UTC−11), where the member lives.
      const now = new Date();
      const turn = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0, 20));
      const groupsMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 10);

      // Only the clock moves (Date, and Intl's idea of now); timers stay real, so the database driver and
      // the relay run as usual.
      beforeEach(() => jest.useFakeTimers({ now: turn, doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] }));
      afterEach(() => jest.useRealTimers());

      it('keeps the group’s budget periods in the group’s time zone, whoever looks or records the bill', async () => {
        // Signed in under the moved clock, so that their tokens are valid at it.
        const groupAdmin = await given(product.app).user({ groupName: 'Atoll' });
        const atoll = await groupOf(product.app, groupAdmin);
        await api(groupAdmin, 'patch', `/api/v1/groups/${atoll}`).send({ timeZone: 'Pacific/Kiritimati' }).expect(200);
        const islander = await given(product.app).member(groupAdmin, atoll);
        await api(islander, 'patch', '/api/v1/me').send({ settings: { timeZone: 'Pacific/Pago_Pago' } }).expect(200);
        const budget = (await api(groupAdmin, 'post', '/api/v1/budgets').send({ groupId: atoll, amount: '10.00' }).expect(201)).body;

        const seen = await api(islander, 'get', '/api/v1/budgets').query({ groupId: atoll });
        await createBill(product.app, islander, { amount: '10.00', groupId: atoll, spentAt: turn.toISOString(), timeZone: 'Pacific/Kiritimati' });

        expect(budget.periodStart).toBe(groupsMonth);
        expect(seen.body.items[0]).toMatchObject({ periodStart: groupsMonth });
        expect((await thresholdEvents(budget.id)).map((event) => [event.payload.threshold, event.payload.periodStart])).toEqual([
          [80, groupsMonth],
          [100, groupsMonth],
        ]);
      });
    });
  });

  it('refuses requests without a token with 401', async () => {
    for (const call of [
      api(undefined, 'get', '/api/v1/budgets'),
      api(undefined, 'post', '/api/v1/budgets').send({ amount: '1.00' }),
      api(undefined, 'patch', `/api/v1/budgets/${crypto.randomUUID()}`).send({ amount: '1.00' }),
      api(undefined, 'delete', `/api/v1/budgets/${crypto.randomUUID()}`),
    ]) {
      expect((await call).status).toBe(401);
    }
  });

  it.each([
    ['get', '/api/v1/budgets?at=yesterday', undefined],
    ['get', '/api/v1/budgets?groupId=nope', undefined],
    ['post', '/api/v1/budgets', { amount: 'abc' }],
    ['post', '/api/v1/budgets', { amount: '10.00', period: 'year' }],
    ['post', '/api/v1/budgets', { amount: '10.00', colour: 'red' }],
    ['post', '/api/v1/budgets', {}],
    ['patch', '/api/v1/budgets/00000000-0000-4000-8000-000000000000', {}],
    ['patch', '/api/v1/budgets/not-an-id', { amount: '1.00' }],
    ['delete', '/api/v1/budgets/not-an-id', undefined],
  ] as const)('refuses bad input with 400: %s %s %o', async (method, path, body) => {
    const call = api(member, method, path);
    const response = await (body === undefined ? call : call.send(body));

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
  });
});
