/** @jest-environment @spendcast/ml-service/test/support/onnx-environment.js */
import request from 'supertest';
import type { TestApp } from '../../support/app';
import { flavor } from '../../support/database';
import { bearer, type GivenUser } from '../../support/given';
import { startMlHousehold, type TestMlService } from '../../support/ml-service';
import { categoriesOf, createBill } from '../../support/spending';

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

describe(`GET /api/v1/insights/anomalies with ml-service (${flavor})`, () => {
  let ml: TestMlService;
  let product: TestApp;
  let admin: GivenUser;
  let member: GivenUser;
  let stranger: GivenUser;
  let groupId: string;
  let groceries: string;
  let other: string;
  let membersOutlier: string;
  let adminsOutlier: string;
  // Before the default range (the last 30 days): the context the range's bills are judged against.
  const ADMIN_USUAL = 12;
  const MEMBER_USUAL = 8;

  beforeAll(async () => {
    ({ ml, product, admin, member, stranger, groupId } = await startMlHousehold('Flat'));
    const categories = await request(product.app).get('/api/v1/categories').query({ groupId }).set(bearer(admin)).expect(200);
    const named = (name: string) => (categories.body.items as Array<{ id: string; name: string }>).find((category) => category.name === name)!.id;
    [groceries, other] = [named('Groceries'), named('Other')];
    expect(await categoriesOf(product.app, admin, groupId)).toContain(groceries);

    for (let i = 0; i < ADMIN_USUAL; i++) await createBill(product.app, admin, { groupId, categoryId: groceries, amount: (9.5 + (i % 5) * 0.3).toFixed(2), spentAt: daysAgo(35 + 7 * i) });
    for (let i = 0; i < MEMBER_USUAL; i++) await createBill(product.app, member, { groupId, categoryId: groceries, amount: (10 + (i % 3) * 0.25).toFixed(2), spentAt: daysAgo(38 + 9 * i) });
    await createBill(product.app, admin, { groupId, categoryId: groceries, amount: '10.20', spentAt: daysAgo(1) });
    membersOutlier = (await createBill(product.app, member, { groupId, categoryId: groceries, amount: '500.00', title: 'Party', spentAt: daysAgo(2) })).id;
    adminsOutlier = (await createBill(product.app, admin, { groupId, categoryId: groceries, amount: '400.00', spentAt: daysAgo(3) })).id;
  });

  afterAll(async () => {
    await product?.close();
    await ml?.stop();
  });

  const anomalies = (user: GivenUser, query: Record<string, string | number> = {}) =>
    request(product.app).get('/api/v1/insights/anomalies').query({ groupId, ...query }).set(bearer(user));

  it('lists the bills far above their category’s usual amount, most unusual first, with the reason', async () => {
    const response = await anomalies(admin);

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ available: true, groupId, currency: 'EUR', visibility: 'all', judged: 3 });
    expect(response.body.items.map((item: { billId: string }) => item.billId)).toEqual([membersOutlier, adminsOutlier]);
    expect(response.body.items[0]).toMatchObject({ title: 'Party', amount: '500.00', categoryId: groceries, payee: null, score: expect.any(Number) });
    expect(response.body.items[0].score).toBeGreaterThan(3.5);
    // The median of the other 22 (the usual ones, 10.20 and 400.00) is (10.10 + 10.20) / 2.
    expect(response.body.items[0].reason).toBe(`500.00 is 49.3× the median (10.15) of ${ADMIN_USUAL + MEMBER_USUAL + 2} other Groceries bills`);
  });

  it('judges a member of a group that hides bills only by their own bills, and shows them only theirs', async () => {
    const response = await anomalies(member);

    expect(response.body).toMatchObject({ available: true, visibility: 'own', judged: 1 });
    expect(response.body.items).toHaveLength(1);
    expect(response.body.items[0]).toMatchObject({ billId: membersOutlier });
    expect(response.body.items[0].reason).toContain(`of ${MEMBER_USUAL} other Groceries bills`);
  });

  it('judges only the bills the filters and range pick, up to the limit', async () => {
    expect((await anomalies(admin, { limit: 1 })).body.items.map((item: { billId: string }) => item.billId)).toEqual([membersOutlier]);
    expect((await anomalies(admin, { memberId: admin.id })).body).toMatchObject({ judged: 2, items: [{ billId: adminsOutlier }] });
    expect((await anomalies(admin, { categoryId: other })).body).toEqual(expect.objectContaining({ available: true, judged: 0, items: [] }));
    const lastTwoDays = { from: daysAgo(2).slice(0, 10), to: daysAgo(0).slice(0, 10) };
    expect((await anomalies(admin, lastTwoDays)).body).toMatchObject({ ...lastTwoDays, judged: 2, items: [{ billId: membersOutlier }] });
  });

  it('answers 404 GROUP_NOT_FOUND to someone outside the group, and 401 without a token', async () => {
    const response = await anomalies(stranger);

    expect(response.status).toBe(404);
    expect(response.body.code).toBe('GROUP_NOT_FOUND');
    expect((await request(product.app).get('/api/v1/insights/anomalies')).status).toBe(401);
  });

  it.each<Record<string, string | number>>([{ from: '2026-03-10', to: '2026-03-01' }, { from: '2026-02-30' }, { limit: 0 }, { limit: 101 }, { interval: 'month' }, { groupId: 'not-a-uuid' }])(
    'refuses bad input with 400 VALIDATION_FAILED (%o)',
    async (query) => {
      const response = await anomalies(admin, query);

      expect(response.status).toBe(400);
      expect(response.type).toBe('application/problem+json');
      expect(response.body.code).toBe('VALIDATION_FAILED');
    },
  );
});
