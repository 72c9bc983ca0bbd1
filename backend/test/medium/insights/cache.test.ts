import { Redis } from 'ioredis';
import request from 'supertest';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor, withClient } from '../../support/database';
import { bearer, given, type GivenUser } from '../../support/given';
import { changeBill, createBill, deleteBill, groupOf, join } from '../../support/spending';

describe.each([
  ['in-process memory', {}],
  ['Redis', { REDIS_URL: process.env.REDIS_URL! }],
])(`insights cache in %s (${flavor})`, (_name, env: Record<string, string>) => {
  let product: TestApp;

  beforeAll(async () => {
    // With Redis, rate limits count per IP across every test file of the run: lift them.
    product = await startTestApp({ RATE_LIMIT_MAX: '100000', LOGIN_RATE_LIMIT_PER_IP: '100000', ...env });
  });

  afterAll(() => product.close());

  const summary = async (user: GivenUser, groupId?: string) => {
    const response = await request(product.app).get('/api/v1/insights/summary').query(groupId ? { groupId } : {}).set(bearer(user)).expect(200);
    return response.body.total as string;
  };
  const spending = async (user: GivenUser) => {
    const response = await request(product.app).get('/api/v1/insights/spending').query({ interval: 'week' }).set(bearer(user)).expect(200);
    return response.body.total.amount as string;
  };
  /** Changes the rollup behind the app's back: only an answer from the cache still shows the old figure. */
  const tamper = (userId: string, minor: number) =>
    withClient(product.database.ownerUrl, (client) => client.query(`UPDATE spend_daily SET total_base_minor = total_base_minor + $2 WHERE user_id = $1`, [userId, minor]));

  it('answers from the cache until a bill of the scope changes: create, edit, delete', async () => {
    const user = await given(product.app).user();
    const bill = await createBill(product.app, user, { amount: '10.00' });
    expect(await summary(user)).toBe('10.00');
    expect(await spending(user)).toBe('10.00');

    await tamper(user.id, 50_000);
    expect(await summary(user)).toBe('10.00');
    expect(await spending(user)).toBe('10.00');

    const second = await createBill(product.app, user, { amount: '5.00' });
    expect(await summary(user)).toBe('515.00');
    expect(await spending(user)).toBe('515.00');

    await tamper(user.id, -50_000);
    await changeBill(product.app, user, bill, { amount: '12.00' });
    expect(await summary(user)).toBe('17.00');

    await deleteBill(product.app, user, second.id);
    expect(await summary(user)).toBe('12.00');
  });

  it('retires the group’s answers for every member when any member changes a bill', async () => {
    const admin = await given(product.app).user({ groupName: 'Household' });
    const member = await given(product.app).user();
    const groupId = await groupOf(product.app, admin);
    await join(product.app, admin, groupId, member);
    await createBill(product.app, admin, { amount: '20.00', groupId });
    expect(await summary(admin, groupId)).toBe('20.00');
    expect(await summary(member, groupId)).toBe('0.00');

    await createBill(product.app, member, { amount: '2.50', groupId });

    expect(await summary(admin, groupId)).toBe('22.50');
    expect(await summary(member, groupId)).toBe('2.50');
  });

  if (env.REDIS_URL) {
    it('keeps the answers and the scope’s generation in Redis, shared by every replica', async () => {
      const user = await given(product.app).user();
      await createBill(product.app, user, { amount: '1.00' });
      await summary(user);

      const redis = new Redis(env.REDIS_URL!, { lazyConnect: true });
      try {
        await redis.connect();
        expect(await redis.get(`answers:generation:u:${user.id}`)).toBe('1');
        expect(await redis.keys(`answers:u:${user.id}:1:*`)).toHaveLength(1);
      } finally {
        redis.disconnect();
      }
    });
  }
});
