import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor } from '../../support/database';
import { given, type GivenUser } from '../../support/given';

/**
 * Row-level security on its own: SQL sent straight through the app role's unit of work, with no
 * service in between, still cannot read or write another tenant's bills.
 */
describe(`bills under row-level security alone (${flavor})`, () => {
  let product: TestApp;
  let alice: GivenUser;
  let mallory: GivenUser;
  let aliceBill: { id: string };
  let groupBill: { id: string };
  let groupId: string;

  beforeAll(async () => {
    product = await startTestApp({ RATE_LIMIT_MAX: '100000' });
    alice = await given(product.app).user({ groupName: 'Alice and friends' });
    groupId = await given(product.app).groupOf(alice);
    mallory = await given(product.app).user();
    aliceBill = await given(product.app).bill(alice, { title: 'Alice personal' });
    groupBill = await given(product.app).bill(alice, { title: 'Alice group', groupId });
  });

  afterAll(() => product.close());

  const asUser = <T>(userId: string | null, sql: string, parameters: unknown[] = []) =>
    product.runtime.transactions.run({ userId }, () => product.runtime.transactions.manager().query<T>(sql, parameters));

  it('reads nothing of another tenant, personal or group', async () => {
    const rows = await asUser<unknown[]>(mallory.id, 'SELECT id FROM bills WHERE id = ANY($1)', [[aliceBill.id, groupBill.id]]);
    const everything = await asUser<Array<{ n: number }>>(mallory.id, 'SELECT count(*)::int AS n FROM bills');
    expect(rows).toEqual([]);
    expect(everything[0]!.n).toBe(0);
  });

  it('reads nothing at all without a user', async () => {
    expect((await asUser<Array<{ n: number }>>(null, 'SELECT count(*)::int AS n FROM bills'))[0]!.n).toBe(0);
  });

  it('changes and deletes nothing of another tenant', async () => {
    const updated = await asUser<[unknown[], number]>(mallory.id, `UPDATE bills SET title = 'pwned' WHERE id = ANY($1)`, [[aliceBill.id, groupBill.id]]);
    const deleted = await asUser<[unknown[], number]>(mallory.id, 'DELETE FROM bills WHERE id = ANY($1)', [[aliceBill.id, groupBill.id]]);
    const titles = await asUser<Array<{ title: string }>>(alice.id, 'SELECT title FROM bills WHERE id = ANY($1) ORDER BY title', [[aliceBill.id, groupBill.id]]);

    expect(updated[1]).toBe(0);
    expect(deleted[1]).toBe(0);
    expect(titles.map((row) => row.title)).toEqual(['Alice group', 'Alice personal']);
  });

  it('refuses to insert a bill into someone else’s name or into a group one is not in', async () => {
    const insert = (columns: { userId: string | null; groupId: string | null; createdBy: string }) =>
      asUser(mallory.id, `INSERT INTO bills (id, user_id, group_id, created_by, title, amount_minor, currency, exchange_rate, base_amount_minor, spent_at, time_zone, spent_on, version)
        VALUES ($1, $2, $3, $4, 'forged', 100, 'EUR', 1, 100, now(), 'UTC', current_date, 1)`, [randomUUID(), columns.userId, columns.groupId, columns.createdBy]);

    await expect(insert({ userId: alice.id, groupId: null, createdBy: mallory.id })).rejects.toThrow(/row-level security/);
    await expect(insert({ userId: null, groupId, createdBy: mallory.id })).rejects.toThrow(/row-level security/);
    await expect(insert({ userId: mallory.id, groupId: null, createdBy: alice.id })).rejects.toThrow(/row-level security/);
  });

  it('refuses to move one’s own bill into a group one is not in', async () => {
    const own = await given(product.app).bill(mallory, { title: 'Mallory personal' });
    const moved = asUser(mallory.id, 'UPDATE bills SET user_id = NULL, group_id = $2 WHERE id = $1', [own.id, groupId]);
    await expect(moved).rejects.toThrow(/row-level security/);
  });

  it('hides the participants of bills one may not see', async () => {
    const rows = await asUser<unknown[]>(mallory.id, 'SELECT * FROM bill_participants');
    expect(rows).toEqual([]);
  });

  it('reads no journalled change of another tenant’s bills, and writes none', async () => {
    const journal = 'SELECT count(*) FILTER (WHERE user_id = $1)::int AS personal, count(*) FILTER (WHERE group_id = $2)::int AS "group" FROM bill_changes';
    const seenByMallory = await asUser<Array<{ personal: number; group: number }>>(mallory.id, journal, [alice.id, groupId]);
    const seenByAlice = await asUser<Array<{ personal: number; group: number }>>(alice.id, journal, [alice.id, groupId]);
    const forged = asUser(mallory.id, `INSERT INTO bill_changes (xid, sign, user_id, tags, spent_at, base_amount_minor) VALUES (1, 1, $1, '{}', now(), 100)`, [mallory.id]);

    expect(seenByMallory[0]).toEqual({ personal: 0, group: 0 });
    expect(seenByAlice[0]!.personal).toBeGreaterThan(0);
    expect(seenByAlice[0]!.group).toBeGreaterThan(0);
    await expect(forged).rejects.toThrow(/permission denied/);
  });
});
