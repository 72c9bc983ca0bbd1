import request from 'supertest';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor, withClient } from '../../support/database';
import { bearer, given, type GivenUser } from '../../support/given';
import { createBill, groupOf, join, utcDay } from '../../support/spending';

describe(`insights: who sees what (${flavor})`, () => {
  let product: TestApp;
  let admin: GivenUser;
  let member: GivenUser;
  let stranger: GivenUser;
  let groupId: string;
  let strangersGroupId: string;
  const range = { from: utcDay(-3), to: utcDay(3) };

  beforeAll(async () => {
    product = await startTestApp();
    admin = await given(product.app).user({ groupName: 'Team' });
    member = await given(product.app).user();
    stranger = await given(product.app).user({ groupName: 'Elsewhere' });
    groupId = await groupOf(product.app, admin);
    await join(product.app, admin, groupId, member);
    await createBill(product.app, admin, { amount: '100.00', groupId });
    await createBill(product.app, member, { amount: '30.00', groupId });
    await createBill(product.app, member, { amount: '7.00' });
    strangersGroupId = await groupOf(product.app, stranger);
    await createBill(product.app, stranger, { amount: '1000.00', groupId: strangersGroupId });
  });

  afterAll(() => product.close());

  const summary = (user: GivenUser, query: Record<string, string> = {}) =>
    request(product.app).get('/api/v1/insights/summary').query({ ...range, ...query }).set(bearer(user));
  const spending = (user: GivenUser, query: Record<string, string> = {}) =>
    request(product.app).get('/api/v1/insights/spending').query({ ...range, interval: 'day', ...query }).set(bearer(user));

  it('gives a member of a group that hides bills their own share and the group’s total', async () => {
    const response = await summary(member, { groupId });

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ groupId, currency: 'EUR', visibility: 'own', total: '30.00', count: 1, groupTotal: { total: '130.00', previousTotal: '0.00' } });
    expect((await spending(member, { groupId })).body.total).toMatchObject({ amount: '30.00', count: 1 });
  });

  it('gives the admin everything, without a separate group total', async () => {
    const response = await summary(admin, { groupId });

    expect(response.body).toMatchObject({ visibility: 'all', total: '130.00', count: 2, groupTotal: null });
    expect((await spending(admin, { groupId, memberId: member.id })).body.total).toMatchObject({ amount: '30.00', count: 1 });
  });

  it('gives a member asking for another member’s spending nothing, as the bill listing does', async () => {
    const response = await spending(member, { groupId, memberId: admin.id });

    expect(response.status).toBe(200);
    expect(response.body.total).toMatchObject({ amount: '0.00', count: 0 });
    expect(response.body.categories).toEqual([]);
  });

  it('keeps personal spending personal', async () => {
    expect((await summary(member)).body).toMatchObject({ groupId: null, visibility: 'all', total: '7.00', groupTotal: null });
    expect((await summary(admin)).body).toMatchObject({ total: '0.00', count: 0 });
  });

  it('answers 404 GROUP_NOT_FOUND to someone outside the group', async () => {
    for (const response of [await summary(stranger, { groupId }), await spending(stranger, { groupId })]) {
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('GROUP_NOT_FOUND');
    }
  });

  it('shows members everything once the group lets them see each other’s bills', async () => {
    await withClient(product.database.ownerUrl, (client) => client.query(`UPDATE groups SET members_see_all_bills = true WHERE id = $1`, [groupId]));
    try {
      expect((await summary(member, { groupId })).body).toMatchObject({ visibility: 'all', total: '130.00', groupTotal: null });
      expect((await spending(member, { groupId, memberId: admin.id })).body.total).toMatchObject({ amount: '100.00' });
    } finally {
      await withClient(product.database.ownerUrl, (client) => client.query(`UPDATE groups SET members_see_all_bills = false WHERE id = $1`, [groupId]));
    }
    expect((await summary(member, { groupId })).body).toMatchObject({ visibility: 'own', total: '30.00' });
  });

  it('shows the app role only the rollup rows the bills allow (row-level security)', async () => {
    const rows = await withClient(product.database.appUrl, async (client) => {
      await client.query('BEGIN');
      try {
        await client.query(`SELECT set_config('role', 'spendcast_app', true), set_config('app.user_id', $1, true)`, [member.id]);
        const visible = (await client.query(`SELECT group_id, user_id FROM spend_daily`)).rows;
        const totals = (await client.query(`SELECT sum(total_base_minor)::text AS total FROM app_group_daily_totals($1, $2, $3)`, [groupId, range.from, range.to])).rows[0];
        const strangers = (await client.query(`SELECT count(*)::int AS n FROM app_group_daily_totals($1, $2, $3)`, [strangersGroupId, range.from, range.to])).rows[0];
        const write = await client.query(`UPDATE spend_daily SET total_base_minor = 0`).catch((error: Error) => error.message);
        return { visible, totals, strangers, write };
      } finally {
        await client.query('ROLLBACK');
      }
    });
    expect(rows.visible.every((row: { user_id: string }) => row.user_id === member.id)).toBe(true);
    expect(rows.visible).toHaveLength(2);
    expect(rows.totals.total).toBe('13000');
    expect(rows.strangers.n).toBe(0);
    expect(rows.write).toMatch(/permission denied/);
  });

  it('refuses requests without a token with 401', async () => {
    expect((await request(product.app).get('/api/v1/insights/summary')).status).toBe(401);
    expect((await request(product.app).get('/api/v1/insights/spending')).status).toBe(401);
  });

  it.each([
    ['summary', { from: '2026-03-10', to: '2026-03-01' }],
    ['summary', { from: '2026-02-30' }],
    ['summary', { groupId: 'not-a-uuid' }],
    ['summary', { interval: 'week' }],
    ['spending', { interval: 'year' }],
    ['spending', { minAmount: 'abc' }],
    ['spending', { from: '2020-01-01', to: '2026-01-01', interval: 'day' }],
    ['spending', { to: '2026-01-01', from: '2026-02-01' }],
    ['spending', { sort: 'date' }],
    ['summary', { from: '0001-01-01' }],
    ['spending', { to: '9999-12-31' }],
  ])('refuses bad input to %s with 400 (%o)', async (route, query) => {
    const response = await request(product.app).get(`/api/v1/insights/${route}`).query(query).set(bearer(member));

    expect(response.status).toBe(400);
    expect(response.body.code).toBe('VALIDATION_FAILED');
  });
});
