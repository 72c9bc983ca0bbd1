import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor, withClient } from '../../support/database';
import { until } from '../../support/events';
import { bearer, given, type GivenUser } from '../../support/given';
import { generator, PROPERTY_SEED } from '../../support/random';
import { categoriesOf, changeBill, createBill, deleteBill, type BillFields } from '../../support/spending';

const OPERATIONS = Number(process.env.PROPERTY_OPERATIONS ?? 60);
const WORDS = ['Café', 'cafe', 'Zoë', 'Crème brûlée', 'Bäckerei', 'market', 'Taxi'] as const;
const SEARCHES = ['cafe', 'zoe', 'creme', 'back', 'ket'] as const;
const TAGS = ['food', 'trip'] as const;

/**
 * The totals of a bill filter are counted once, cached with the database snapshot they were counted in,
 * and afterwards corrected by the bill changes committed since (the bill_changes journal).
 */
describe.each([
  ['in-process memory', {}],
  ['Redis', { REDIS_URL: process.env.REDIS_URL! }],
])(`bill list totals cached in %s (${flavor})`, (_name, env: Record<string, string>) => {
  let product: TestApp;

  beforeAll(async () => {
    // With Redis, rate limits count per IP across every test file of the run: lift them.
    product = await startTestApp({ RATE_LIMIT_MAX: '100000', LOGIN_RATE_LIMIT_PER_IP: '100000', ...env });
  });

  afterAll(() => product.close());

  const totals = async (user: GivenUser, query: Record<string, string> = {}) => {
    const { count, amount } = (await request(product.app).get('/api/v1/bills').set(bearer(user)).query(query).expect(200)).body.total;
    return { count, amount };
  };
  const asOwner = <T>(work: Parameters<typeof withClient<T>>[1]) => withClient(product.database.ownerUrl, work);
  const prune = () => product.built.chores[0]!.runNow();
  /** Ages the horizons earlier prunes recorded by an hour. */
  const anHourPasses = () => asOwner((client) => client.query(`UPDATE bill_change_horizons SET recorded_at = recorded_at - interval '61 minutes'`));
  /** True once no transaction older than the user's journalled changes is still running. */
  const ended = (userId: string) =>
    asOwner(async (client) => (await client.query<{ ended: boolean }>(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint > max(xid) AS ended FROM bill_changes WHERE user_id = $1`, [userId])).rows[0]!.ended);

  it('answers from the count it cached and the changes journalled since, not from a new count', async () => {
    const user = await given(product.app).user();
    const first = await createBill(product.app, user, { title: 'Café Zoë', amount: '10.00' });
    await createBill(product.app, user, { title: 'Other', amount: '7.00' });
    expect(await totals(user, { q: 'zoe' })).toEqual({ count: 1, amount: '10.00' });

    // Behind the product's back and past every trigger: a new count would see it, the cached totals do not.
    await asOwner((client) => client.query(`BEGIN; SET LOCAL session_replication_role = replica; UPDATE bills SET base_amount_minor = 99900 WHERE id = '${first.id}'; COMMIT`));
    expect(await totals(user, { q: 'zoe' })).toEqual({ count: 1, amount: '10.00' });

    await createBill(product.app, user, { title: 'Zoé again', amount: '2.50' });
    const renamed = await createBill(product.app, user, { title: 'Nothing yet', amount: '1.00' });
    await changeBill(product.app, user, renamed, { title: 'zoe, renamed' });
    expect(await totals(user, { q: 'zoe' })).toEqual({ count: 3, amount: '13.50' });

    await deleteBill(product.app, user, renamed.id);
    expect(await totals(user, { q: 'zoe' })).toEqual({ count: 2, amount: '12.50' });
  });

  // The embedded database runs one transaction at a time: no count there can see a writer in flight.
  if (flavor === 'postgres') {
    it('counts a change exactly once when it commits while the totals are counted', async () => {
      const user = await given(product.app).user();
      await createBill(product.app, user, { title: 'Rent', amount: '100.00' });
      const doomed = await createBill(product.app, user, { title: 'Rent extra', amount: '20.00' });

      await asOwner(async (client) => {
        // A writer in flight: its bill and its journal rows exist, uncommitted, while the totals are counted and cached.
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO bills (id, user_id, created_by, title, amount_minor, currency, exchange_rate, base_amount_minor, spent_at, time_zone, spent_on, version)
           VALUES ($1, $2, $2, 'Rent late', 300, 'EUR', 1, 300, now(), 'UTC', current_date, 1)`,
          [randomUUID(), user.id],
        );
        await client.query('DELETE FROM bills WHERE id = $1', [doomed.id]);
        // A later writer that commits first: the count sees it although the one in flight is older. (Another
        // day than the writer in flight, whose rollup row for today it would otherwise wait for.)
        await createBill(product.app, user, { title: 'Rent deposit', amount: '50.00', spentAt: new Date(Date.now() - 3 * 86_400_000).toISOString() });
        expect(await totals(user, { q: 'rent' })).toEqual({ count: 3, amount: '170.00' });
        await client.query('COMMIT');
      });

      expect(await totals(user, { q: 'rent' })).toEqual({ count: 3, amount: '153.00' });
      expect(await totals(user, { q: 'rent' })).toEqual({ count: 3, amount: '153.00' });
    });
  }

  it('shows each viewer the changes they may see: an admin every member’s, a member of a hiding group only their own', async () => {
    const { admin, member, groupId } = await given(product.app).groupWithMember('Totals');
    await createBill(product.app, admin, { title: 'Shared taxi', amount: '30.00', groupId });
    await createBill(product.app, member, { title: 'Taxi home', amount: '12.00', groupId });
    expect(await totals(admin, { groupId, q: 'taxi' })).toEqual({ count: 2, amount: '42.00' });
    expect(await totals(member, { groupId, q: 'taxi' })).toEqual({ count: 1, amount: '12.00' });

    await createBill(product.app, admin, { title: 'Taxi to the airport', amount: '50.00', groupId });
    const own = await createBill(product.app, member, { title: 'Taxi again', amount: '8.00', groupId });
    await changeBill(product.app, member, own, { amount: '9.00' });

    expect(await totals(admin, { groupId, q: 'taxi' })).toEqual({ count: 4, amount: '101.00' });
    expect(await totals(member, { groupId, q: 'taxi' })).toEqual({ count: 2, amount: '21.00' });
  });

  it('gives a member the totals of what they may see now, after the group shows or hides members’ bills and after a promotion', async () => {
    const { admin, member, groupId } = await given(product.app).groupWithMember('Opening up');
    await createBill(product.app, admin, { title: 'Shared taxi', amount: '30.00', groupId });
    await createBill(product.app, member, { title: 'Taxi home', amount: '12.00', groupId });
    const setting = (membersSeeAllBills: boolean) => request(product.app).patch(`/api/v1/groups/${groupId}`).set(bearer(admin)).send({ membersSeeAllBills }).expect(200);
    expect(await totals(member, { groupId, q: 'taxi' })).toEqual({ count: 1, amount: '12.00' });

    await setting(true);
    expect(await totals(member, { groupId, q: 'taxi' })).toEqual({ count: 2, amount: '42.00' });
    await setting(false);
    expect(await totals(member, { groupId, q: 'taxi' })).toEqual({ count: 1, amount: '12.00' });
    await request(product.app).patch(`/api/v1/groups/${groupId}/members/${member.id}`).set(bearer(admin)).send({ role: 'admin' }).expect(200);
    expect(await totals(member, { groupId, q: 'taxi' })).toEqual({ count: 2, amount: '42.00' });
  });

  it('journals only what a filter can see change, and forgets it an hour after its transaction ended', async () => {
    const user = await given(product.app).user();
    const bill = await createBill(product.app, user, { title: 'Books', amount: '5.00' });
    const journalled = () => asOwner(async (client) => (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM bill_changes WHERE user_id = $1', [user.id])).rows[0]!.n);
    expect(await journalled()).toBe(1);

    // Changing what no filter reads (the time zone the day is shown in, same day) journals nothing; a new amount journals both versions.
    const zoned = await changeBill(product.app, user, bill, { timeZone: 'Europe/Lisbon' });
    expect(await journalled()).toBe(1);
    await changeBill(product.app, user, zoned, { amount: '6.00' });
    expect(await journalled()).toBe(3);

    // Each prune records which transactions have ended by then; an hour later it forgets their changes.
    await until(() => ended(user.id), 5_000, 'the transactions that wrote the bill to end');
    await prune();
    expect(await journalled()).toBe(3);
    await anHourPasses();
    await prune();
    expect(await journalled()).toBe(0);
  });

  // The embedded database runs one transaction at a time: no transaction there outlives a prune.
  if (flavor === 'postgres') {
    it('keeps the changes of a transaction that ended less than an hour ago, however long ago it wrote them', async () => {
      const user = await given(product.app).user();
      const bill = await createBill(product.app, user, { title: 'Desk', amount: '80.00' });
      const journalled = () => asOwner(async (client) => (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM bill_changes WHERE user_id = $1', [user.id])).rows[0]!.n);
      await until(() => ended(user.id), 5_000, 'the transaction that created the bill to end');

      await asOwner(async (client) => {
        // A transaction that wrote its change an hour ago and is still running when a prune records the horizon.
        await client.query('BEGIN');
        await client.query(`UPDATE bills SET title = 'Standing desk' WHERE id = $1`, [bill.id]);
        await client.query(`UPDATE bill_changes SET changed_at = now() - interval '61 minutes' WHERE xid = pg_current_xact_id()::text::bigint`);
        await prune();
        await client.query('COMMIT');
      });
      await anHourPasses();
      await prune();

      // The bill's creation ended before the horizon and is forgotten; the long transaction's two versions stay.
      expect(await journalled()).toBe(2);
    });

    it('prunes on one replica at a time: a prune while another runs returns at once and records nothing', async () => {
      const horizons = () => asOwner(async (client) => (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM bill_change_horizons')).rows[0]!.n);
      await asOwner(async (client) => {
        await client.query('BEGIN');
        await client.query('SELECT app_prune_bill_changes(3600)');
        const before = await horizons();
        await asOwner(async (other) => expect((await other.query('SELECT app_prune_bill_changes(3600) AS deleted')).rows[0].deleted).toBe(0));
        expect(await horizons()).toBe(before);
        await client.query('COMMIT');
      });
    });
  }

  it('journals nothing of the bills that go with a deleted group or account, and shows the admin no other member’s', async () => {
    const { admin, member, groupId } = await given(product.app).groupWithMember('Going away');
    await createBill(product.app, admin, { title: 'Group bill', amount: '1.00', groupId });
    await createBill(product.app, member, { title: 'Their group bill', amount: '1.00', groupId });
    await createBill(product.app, member, { title: 'Own bill', amount: '1.00' });
    const journalled = () =>
      asOwner(async (client) => (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM bill_changes WHERE group_id = $1 OR user_id = $2', [groupId, member.id])).rows[0]!.n);
    const seenBy = (user: GivenUser) =>
      product.runtime.transactions.run({ userId: user.id }, async () =>
        (await product.runtime.transactions.manager().query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM bill_changes WHERE group_id = $1', [groupId]))[0]!.n,
      );
    expect([await journalled(), await seenBy(admin)]).toEqual([3, 2]);

    await asOwner((client) => client.query('DELETE FROM groups WHERE id = $1', [groupId]));
    await asOwner((client) => client.query('DELETE FROM users WHERE id = $1', [member.id]));

    // Until the prune: the admin still sees the version of the bill they recorded, and nothing else.
    expect([await journalled(), await seenBy(admin)]).toEqual([3, 1]);
  });

  it(`keeps every cached filter total equal to a fresh count through random changes raced by reads (seed ${PROPERTY_SEED})`, async () => {
    const rng = generator(PROPERTY_SEED);
    const { admin, member, groupId } = await given(product.app).groupWithMember('Property');
    const categories = await categoriesOf(product.app, admin, groupId);
    const personalCategories = await categoriesOf(product.app, admin);
    const actors = [
      { actor: admin, groupId: undefined as string | undefined, categories: personalCategories },
      { actor: admin, groupId, categories },
      { actor: member, groupId, categories },
    ];
    // Who asks, and which bills they see: an admin all of the group's, a member of this hiding group their own.
    const viewers = [
      { name: 'admin, personal', user: admin, query: {}, sees: ['b.user_id = $1', admin.id] },
      { name: 'admin, group', user: admin, query: { groupId }, sees: ['b.group_id = $1', groupId] },
      { name: 'member, group', user: member, query: { groupId }, sees: [`b.group_id = '${groupId}' AND b.created_by = $1`, member.id] },
    ] as const;
    const filters: Array<{ query: Record<string, string>; where: string }> = [
      { query: {}, where: 'true' },
      ...SEARCHES.map((q) => ({ query: { q }, where: `b.search_document LIKE search_text('%${q}%')` })),
      ...TAGS.map((tag) => ({ query: { tag }, where: `'${tag}' = ANY(b.tags)` })),
      { query: { categoryId: categories[0]! }, where: `b.category_id = '${categories[0]}'` },
      { query: { q: 'cafe', minAmount: '50.00' }, where: `b.search_document LIKE search_text('%cafe%') AND b.base_amount_minor >= 5000` },
    ];
    const fields = (scopeCategories: string[]): BillFields & { payee: string | null } => ({
      title: rng.pick(WORDS),
      payee: rng.chance(0.3) ? rng.pick(WORDS) : null,
      amount: `${rng.int(1, 120)}.${String(rng.int(0, 99)).padStart(2, '0')}`,
      categoryId: rng.chance(0.3) ? null : rng.pick(scopeCategories),
      tags: rng.chance(0.5) ? [rng.pick(TAGS)] : [],
    });
    const read = (viewer: (typeof viewers)[number], filter: (typeof filters)[number]) => totals(viewer.user, { ...viewer.query, ...filter.query });
    const fresh = (viewer: (typeof viewers)[number], filter: (typeof filters)[number]) =>
      asOwner(async (client) => {
        const { rows } = await client.query<{ count: number; minor: string }>(
          `SELECT count(*)::int AS count, coalesce(sum(b.base_amount_minor), 0)::text AS minor FROM bills b WHERE ${viewer.sees[0]} AND ${filter.where}`,
          [viewer.sees[1]],
        );
        const minor = rows[0]!.minor.padStart(3, '0');
        return { count: rows[0]!.count, amount: `${minor.slice(0, -2)}.${minor.slice(-2)}` };
      });
    const expectExact = async (viewer: (typeof viewers)[number], filter: (typeof filters)[number], step: number) =>
      expect({ step, viewer: viewer.name, filter: filter.query, totals: await read(viewer, filter) }).toEqual({ step, viewer: viewer.name, filter: filter.query, totals: await fresh(viewer, filter) });

    const live: Array<{ id: string; version: number; actor: GivenUser; categories: string[] }> = [];
    for (let step = 0; step < OPERATIONS; step++) {
      const change = async () => {
        const roll = rng.int(1, 10);
        if (live.length === 0 || roll <= 5) {
          const { actor, groupId: scope, categories: scopeCategories } = rng.pick(actors);
          const bill = await createBill(product.app, actor, { ...fields(scopeCategories), groupId: scope });
          live.push({ id: bill.id, version: bill.version, actor, categories: scopeCategories });
        } else if (roll <= 8) {
          const bill = rng.pick(live);
          const { title, payee, amount, categoryId, tags } = fields(bill.categories);
          const changes = rng.pick([{ title }, { payee }, { amount }, { categoryId }, { tags }, { title, amount, tags }]);
          bill.version = (await changeBill(product.app, bill.actor, bill, changes)).version;
        } else {
          const [bill] = live.splice(rng.int(0, live.length - 1), 1);
          await deleteBill(product.app, bill!.actor, bill!.id);
        }
      };
      // Reads that race the change cache totals counted before, during or after it.
      await Promise.all([change(), read(rng.pick(viewers), rng.pick(filters)), read(rng.pick(viewers), rng.pick(filters))]);
      await expectExact(rng.pick(viewers), rng.pick(filters), step);
    }
    for (const viewer of viewers) for (const filter of filters) await expectExact(viewer, filter, OPERATIONS);
  });
});
