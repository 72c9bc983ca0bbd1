import request from 'supertest';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor, withClient } from '../../support/database';
import { bearer, given, type GivenUser } from '../../support/given';
import { generator, PROPERTY_SEED as SEED } from '../../support/random';
import { categoriesOf, changeBill, createBill, deleteBill, euros, groupOf, join, utcDay, type BillFields } from '../../support/spending';

const OPERATIONS = Number(process.env.PROPERTY_OPERATIONS ?? 100);
const TAGS = ['food', 'trip', 'work'] as const;
const ZONES = [undefined, 'UTC', 'Pacific/Auckland', 'America/Los_Angeles'] as const;
const INTERVALS = ['day', 'week', 'month'] as const;
type Interval = (typeof INTERVALS)[number];

interface StoredBill {
  group_id: string | null;
  user_id: string | null;
  created_by: string | null;
  category_id: string | null;
  day: string;
  minor: string;
  tags: string[];
}

/** The period a day falls in, computed here independently of the code under test. */
function bucket(day: string, interval: Interval): string {
  if (interval === 'day') return day;
  if (interval === 'month') return `${day.slice(0, 8)}01`;
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

type Figures = Map<string, { minor: bigint; count: number }>;

function add(figures: Figures, key: string, minor: bigint) {
  const current = figures.get(key) ?? { minor: 0n, count: 0 };
  figures.set(key, { minor: current.minor + minor, count: current.count + 1 });
}

const render = (figures: Figures) => Object.fromEntries([...figures].sort(([a], [b]) => a.localeCompare(b)).map(([key, value]) => [key, `${euros(value.minor)} × ${value.count}`]));
const inRange = (from: string, to: string) => (bill: StoredBill) => bill.day >= from && bill.day <= to;
const categoryKey = (id: string | null) => id ?? 'none';

describe(`insights against the bills they sum, after random creates, edits and deletes (${flavor}, seed ${SEED})`, () => {
  let product: TestApp;
  let admin: GivenUser;
  let member: GivenUser;
  let groupId: string;
  const rng = generator(SEED);

  beforeAll(async () => {
    product = await startTestApp();
    admin = await given(product.app).user({ groupName: 'Flat' });
    member = await given(product.app).user();
    groupId = await groupOf(product.app, admin);
    await join(product.app, admin, groupId, member);
  });

  afterAll(() => product.close());

  async function storedBills(): Promise<StoredBill[]> {
    return withClient(product.database.ownerUrl, async (client) =>
      (
        await client.query<StoredBill>(
          `SELECT group_id, user_id, created_by, category_id, spent_on::text AS day, base_amount_minor::text AS minor, tags FROM bills`,
        )
      ).rows,
    );
  }

  const get = async (user: GivenUser, path: string, query: Record<string, string | undefined>) => {
    const response = await request(product.app).get(path).query(Object.fromEntries(Object.entries(query).filter(([, value]) => value !== undefined))).set(bearer(user));
    expect(response.status).toBe(200);
    return response.body;
  };

  it('keeps the rollup and every summary and series equal to the sums of the bills', async () => {
    const personal = async (user: GivenUser) => {
      const existing = await categoriesOf(product.app, user);
      if (existing.length > 0) return existing;
      const created = await request(product.app).post('/api/v1/categories').set(bearer(user)).send({ name: 'Food', color: '#43a047', icon: 'cart-outline' }).expect(201);
      return [created.body.id as string];
    };
    const scopes = [
      { actor: admin, groupId: undefined, categories: await personal(admin) },
      { actor: member, groupId: undefined, categories: await personal(member) },
      { actor: admin, groupId, categories: await categoriesOf(product.app, admin, groupId) },
      { actor: member, groupId, categories: await categoriesOf(product.app, admin, groupId) },
    ];
    const randomFields = (categories: string[]): BillFields => ({
      amount: `${rng.int(0, 400)}.${String(rng.int(1, 99)).padStart(2, '0')}`,
      spentAt: new Date(Date.now() + rng.int(-75 * 1440, 12 * 1440) * 60_000).toISOString(),
      timeZone: rng.pick(ZONES),
      categoryId: rng.chance(0.2) ? null : rng.pick(categories),
      tags: rng.chance(0.5) ? [rng.pick(TAGS)] : [],
    });

    const live: Array<{ id: string; version: number; actor: GivenUser; categories: string[] }> = [];
    for (let step = 0; step < OPERATIONS; step++) {
      const roll = rng.int(1, 10);
      if (live.length === 0 || roll <= 5) {
        const scope = rng.pick(scopes);
        const bill = await createBill(product.app, scope.actor, { ...randomFields(scope.categories), groupId: scope.groupId });
        live.push({ id: bill.id, version: bill.version, actor: scope.actor, categories: scope.categories });
      } else if (roll <= 8) {
        const bill = rng.pick(live);
        const fields = randomFields(bill.categories);
        const changed = rng.pick(['amount', 'category', 'date', 'amount category', 'amount category date'] as const);
        const changes: Partial<BillFields> = {};
        if (changed.includes('amount')) changes.amount = fields.amount;
        if (changed.includes('category')) changes.categoryId = fields.categoryId;
        if (changed.includes('date')) Object.assign(changes, { spentAt: fields.spentAt, timeZone: fields.timeZone });
        bill.version = (await changeBill(product.app, bill.actor, bill, changes)).version;
      } else {
        const [bill] = live.splice(rng.int(0, live.length - 1), 1);
        await deleteBill(product.app, bill!.actor, bill!.id);
      }
      // Reading now and then puts answers in the cache that later changes must retire.
      if (step % 7 === 0) await get(admin, '/api/v1/insights/summary', { groupId, from: utcDay(-80), to: utcDay(15) });
    }

    const bills = await storedBills();
    await expectRollupToMatch(bills);

    const from = utcDay(-80);
    const to = utcDay(15);
    const subFrom = utcDay(-rng.int(20, 60));
    const subTo = utcDay(rng.int(-19, 5));
    const views = [
      { name: 'admin, personal', user: admin, groupId: undefined, sees: (bill: StoredBill) => !bill.group_id && bill.user_id === admin.id },
      { name: 'member, personal', user: member, groupId: undefined, sees: (bill: StoredBill) => !bill.group_id && bill.user_id === member.id },
      { name: 'admin, group', user: admin, groupId, sees: (bill: StoredBill) => bill.group_id === groupId },
      { name: 'member, group that hides bills', user: member, groupId, sees: (bill: StoredBill) => bill.group_id === groupId && bill.created_by === member.id },
    ];

    for (const view of views) {
      const visible = bills.filter(view.sees);
      for (const [rangeFrom, rangeTo] of [[from, to], [subFrom, subTo]] as const) {
        const summary = await get(view.user, '/api/v1/insights/summary', { groupId: view.groupId, from: rangeFrom, to: rangeTo });
        const sumOf = (rows: StoredBill[]) => rows.reduce((total, bill) => total + BigInt(bill.minor), 0n);
        const current = visible.filter(inRange(rangeFrom, rangeTo));
        const previous = visible.filter(inRange(summary.previous.from, summary.previous.to));
        const byCategory: Figures = new Map();
        for (const bill of current) add(byCategory, categoryKey(bill.category_id), BigInt(bill.minor));
        const previousByCategory: Figures = new Map();
        for (const bill of previous) add(previousByCategory, categoryKey(bill.category_id), BigInt(bill.minor));

        const context = `${view.name}, ${rangeFrom}..${rangeTo}`;
        expect({ context, total: summary.total, count: summary.count }).toEqual({ context, total: euros(sumOf(current)), count: current.length });
        expect({ context, total: summary.previous.total, count: summary.previous.count }).toEqual({ context, total: euros(sumOf(previous)), count: previous.length });
        expect(summary.change.amount).toBe(euros(sumOf(current) - sumOf(previous)));
        if (sumOf(previous) === 0n) expect(summary.change.percent).toBeNull();
        else expect(summary.change.percent).toBeCloseTo((Number(sumOf(current) - sumOf(previous)) / Number(sumOf(previous))) * 100, 0);
        const shown: Figures = new Map();
        const shownPrevious: Figures = new Map();
        for (const item of summary.byCategory as Array<{ categoryId: string | null; amount: string; count: number; previousAmount: string }>) {
          if (item.count > 0) shown.set(categoryKey(item.categoryId), { minor: BigInt(item.amount.replace('.', '')), count: item.count });
          if (item.previousAmount !== '0.00') shownPrevious.set(categoryKey(item.categoryId), { minor: BigInt(item.previousAmount.replace('.', '')), count: 0 });
        }
        expect({ context, byCategory: render(shown) }).toEqual({ context, byCategory: render(byCategory) });
        const previousAmounts = (figures: Figures) => Object.fromEntries([...figures].map(([key, value]) => [key, euros(value.minor)]));
        expect({ context, previous: previousAmounts(shownPrevious) }).toEqual({ context, previous: previousAmounts(previousByCategory) });

        const wholeGroup = (rangeStart: string, rangeEnd: string) => sumOf(bills.filter((bill) => bill.group_id === groupId).filter(inRange(rangeStart, rangeEnd)));
        const groupTotal = view.name.startsWith('member, group')
          ? { total: euros(wholeGroup(rangeFrom, rangeTo)), previousTotal: euros(wholeGroup(summary.previous.from, summary.previous.to)) }
          : null;
        expect({ context, groupTotal: summary.groupTotal }).toEqual({ context, groupTotal });

        for (const interval of INTERVALS) {
          const spending = await get(view.user, '/api/v1/insights/spending', { groupId: view.groupId, from: rangeFrom, to: rangeTo, interval });
          expectSeries(spending, current, interval, `${context}, ${interval}`);
          // The same question through the bills table (an amount bound that excludes nothing) gives the same answer.
          expect(await get(view.user, '/api/v1/insights/spending', { groupId: view.groupId, from: rangeFrom, to: rangeTo, interval, minAmount: '0.01' })).toEqual(spending);
        }
        const tag = rng.pick(TAGS);
        const tagged = await get(view.user, '/api/v1/insights/spending', { groupId: view.groupId, from: rangeFrom, to: rangeTo, interval: 'week', tag });
        expectSeries(tagged, current.filter((bill) => bill.tags.includes(tag)), 'week', `${context}, tag ${tag}`);
      }
    }

    const byMember = await get(admin, '/api/v1/insights/spending', { groupId, from, to, interval: 'month', memberId: member.id });
    expectSeries(byMember, bills.filter((bill) => bill.group_id === groupId && bill.created_by === member.id).filter(inRange(from, to)), 'month', 'admin, one member');
  });

  it('moves a deleted member’s group spending to "deleted user" and drops their personal spending', async () => {
    await createBill(product.app, member, { amount: '3.00' });
    await createBill(product.app, member, { amount: '4.00', groupId });
    const before = await get(admin, '/api/v1/insights/summary', { groupId, from: utcDay(-80), to: utcDay(15) });

    await withClient(product.database.ownerUrl, (client) => client.query(`DELETE FROM users WHERE id = $1`, [member.id]));

    const bills = await storedBills();
    expect(bills.some((bill) => bill.user_id === member.id || bill.created_by === member.id)).toBe(false);
    await expectRollupToMatch(bills);
    const rows = await withClient(product.database.ownerUrl, async (client) =>
      (
        await client.query(
          `SELECT count(*) FILTER (WHERE group_id = $1 AND user_id IS NULL)::int AS "deletedUser", count(*) FILTER (WHERE user_id = $2)::int AS "theirs" FROM spend_daily`,
          [groupId, member.id],
        )
      ).rows[0],
    );
    expect(rows).toEqual({ deletedUser: expect.any(Number), theirs: 0 });
    expect(rows.deletedUser).toBeGreaterThan(0);
    // The group's figures do not change: only who spent it is forgotten. (A new bill retires the cached answer.)
    await createBill(product.app, admin, { amount: '1.00', groupId, spentAt: new Date(`${utcDay(-200)}T12:00:00Z`).toISOString() });
    const after = await get(admin, '/api/v1/insights/summary', { groupId, from: utcDay(-80), to: utcDay(15) });
    expect({ total: after.total, count: after.count }).toEqual({ total: before.total, count: before.count });
  });

  async function expectRollupToMatch(bills: StoredBill[]) {
    const expected = new Map<string, { minor: bigint; count: number }>();
    for (const bill of bills) {
      const spender = bill.group_id ? bill.created_by : bill.user_id;
      add(expected, [bill.group_id, spender, bill.category_id, bill.day].join('|'), BigInt(bill.minor));
    }
    const rollup = await withClient(product.database.ownerUrl, async (client) =>
      (await client.query<{ key: string; minor: string; count: number }>(
        `SELECT concat_ws('|', coalesce(group_id::text, ''), coalesce(user_id::text, ''), coalesce(category_id::text, ''), day::text) AS key,
                total_base_minor::text AS minor, bill_count AS count FROM spend_daily`,
      )).rows,
    );
    const actual: Figures = new Map(rollup.map((row) => [row.key, { minor: BigInt(row.minor), count: row.count }]));
    const normalised: Figures = new Map([...expected].map(([key, value]) => [key.split('|').map((part) => (part === 'null' ? '' : part)).join('|'), value]));
    expect(render(actual)).toEqual(render(normalised));
  }

  function expectSeries(body: { periods: string[]; total: { series: SeriesPoint[] }; categories: Array<{ categoryId: string | null; series: SeriesPoint[] }> }, rows: StoredBill[], interval: Interval, context: string) {
    const expected: Figures = new Map();
    const expectedTotal: Figures = new Map();
    for (const bill of rows) {
      add(expected, `${categoryKey(bill.category_id)} ${bucket(bill.day, interval)}`, BigInt(bill.minor));
      add(expectedTotal, bucket(bill.day, interval), BigInt(bill.minor));
    }
    const actual: Figures = new Map();
    const actualTotal: Figures = new Map();
    const collect = (into: Figures, prefix: string, series: SeriesPoint[]) => {
      for (const point of series) if (point.count > 0) into.set(`${prefix}${point.start}`, { minor: BigInt(point.amount.replace('.', '')), count: point.count });
    };
    for (const category of body.categories) collect(actual, `${categoryKey(category.categoryId)} `, category.series);
    collect(actualTotal, '', body.total.series);
    expect({ context, series: render(actual), total: render(actualTotal) }).toEqual({ context, series: render(expected), total: render(expectedTotal) });
    expect(body.periods).toEqual(body.total.series.map((point) => point.start));
  }
});

interface SeriesPoint {
  start: string;
  amount: string;
  count: number;
}
