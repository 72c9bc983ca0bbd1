import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor, withClient } from '../../support/database';
import { bearer, given, type GivenUser } from '../../support/given';
import { receivedMail } from '../../support/mailbox';

interface Entry {
  id: string;
  occurredAt: string;
  actorId: string | null;
  groupId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  changes: Record<string, unknown> | null;
  requestId: string | null;
}

describe(`audit log (${flavor})`, () => {
  let product: TestApp;
  let admin: GivenUser;
  let member: GivenUser;
  let stranger: GivenUser;
  let groupId: string;

  beforeAll(async () => {
    // Real SMTP for the account-deletion link, as in the deletion tests.
    product = await startTestApp({ RATE_LIMIT_MAX: '100000', SMTP_URL: process.env.SMTP_URL!, PUBLIC_URL: 'https://spendcast.example.com' });
    admin = await given(product.app).user({ groupName: 'Audited flat' });
    groupId = (await request(product.app).get('/api/v1/groups').set(bearer(admin))).body.items[0].id;
    member = await join(admin, groupId);
    stranger = await given(product.app).user({ groupName: 'Elsewhere' });
  });

  afterAll(() => product.close());

  async function join(groupAdmin: GivenUser, group: string, requestId?: string): Promise<GivenUser> {
    const invite = await request(product.app).post(`/api/v1/groups/${group}/invites`).set(bearer(groupAdmin)).send({ maxUses: 1 }).expect(201);
    const user = await given(product.app).user();
    const accept = request(product.app).post(`/api/v1/invites/${encodeURIComponent(invite.body.token)}/accept`).set(bearer(user));
    await (requestId ? accept.set('X-Request-Id', requestId) : accept).expect(200);
    return user;
  }

  const myLog = (user: GivenUser, query: Record<string, string | number> = {}) => request(product.app).get('/api/v1/me/audit').set(bearer(user)).query(query);
  const groupLog = (user: GivenUser, group: string, query: Record<string, string | number> = {}) =>
    request(product.app).get(`/api/v1/groups/${group}/audit`).set(bearer(user)).query(query);
  const bill = (user: GivenUser, fields: object = {}, requestId = `bill-${randomUUID()}`) =>
    request(product.app)
      .post('/api/v1/bills')
      .set(bearer(user))
      .set('X-Request-Id', requestId)
      .send({ title: 'Groceries', amount: '10.00', spentAt: '2026-11-20T10:00:00Z', ...fields })
      .expect(201);
  const asOwner = <T>(sql: string, params: unknown[] = []) =>
    withClient(product.database.ownerUrl, async (client) => (await client.query(sql, params)).rows as T[]);
  /** As the app role inside the product's unit of work, like a request of this user. */
  const asUser = <T>(userId: string, sql: string, params: unknown[] = [], requestId?: string) =>
    product.runtime.transactions.run({ userId, requestId }, () => product.runtime.transactions.manager().query<T[]>(sql, params));
  const personalBillSql = `INSERT INTO bills (id, user_id, created_by, title, amount_minor, currency, exchange_rate, base_amount_minor, spent_at, time_zone, spent_on, version)
    VALUES ($1, $2, $2, 'Coffee', 350, 'EUR', 1, 350, '2026-11-20T08:00:00Z', 'UTC', '2026-11-20', 1)`;

  /** Every page of a listing, following nextCursor until it is null. */
  async function walk(list: (query: Record<string, string | number>) => request.Test, query: Record<string, string | number>): Promise<{ pages: Entry[][] }> {
    const pages: Entry[][] = [];
    let cursor: string | null = null;
    do {
      const response: request.Response = await list(cursor ? { ...query, cursor } : query).expect(200);
      pages.push(response.body.items);
      cursor = response.body.nextCursor;
    } while (cursor && pages.length < 50);
    return { pages };
  }

  describe('recording', () => {
    it('records a profile change with its actor, target, only the changed fields and the request id', async () => {
      const user = await given(product.app).user();

      const patched = await request(product.app).patch('/api/v1/me').set(bearer(user)).set('X-Request-Id', 'audit-profile-1').send({ firstName: 'Ada', settings: { theme: 'dark' } });
      const log = await myLog(user, { action: 'user.updated' }).expect(200);

      expect(patched.status).toBe(200);
      expect(log.body.items[0]).toEqual({
        id: expect.any(String),
        occurredAt: expect.any(String),
        actorId: user.id,
        groupId: null,
        action: 'user.updated',
        targetType: 'user',
        targetId: user.id,
        changes: { first_name: { from: 'Test', to: 'Ada' }, theme: { from: 'system', to: 'dark' } },
        requestId: 'audit-profile-1',
      });
    });

    it('writes no entry for an update that changes nothing but the noise columns', async () => {
      const user = await given(product.app).user();
      const before = (await myLog(user, { limit: 200 }).expect(200)).body.items.length;

      await request(product.app).patch('/api/v1/me').set(bearer(user)).send({ firstName: 'Test' }).expect(200);
      const billId = randomUUID();
      await asUser(user.id, personalBillSql, [billId, user.id]);
      await asUser(user.id, 'UPDATE bills SET version = version + 1, updated_at = now() WHERE id = $1', [billId]);
      const after = (await myLog(user, { limit: 200 }).expect(200)).body.items as Entry[];

      expect(after.slice(0, after.length - before).map((entry) => entry.action)).toEqual(['bill.created']);
    });

    it('records a group bill created, changed and deleted through the API in the group’s log', async () => {
      const created = await bill(member, { groupId, title: 'Pizza night', amount: '31.50' }, 'bill-create-1');
      await request(product.app).patch(`/api/v1/bills/${created.body.id}`).set(bearer(member)).set('If-Match', '"1"').set('X-Request-Id', 'bill-update-1').send({ title: 'Pizza & film' }).expect(200);
      await request(product.app).delete(`/api/v1/bills/${created.body.id}`).set(bearer(admin)).set('X-Request-Id', 'bill-delete-1').expect(204);

      const log = await groupLog(admin, groupId, { targetId: created.body.id }).expect(200);

      const [deleted, updated, inserted] = log.body.items as Entry[];
      expect(log.body.items).toHaveLength(3);
      expect(inserted).toMatchObject({ action: 'bill.created', actorId: member.id, groupId, targetType: 'bill', requestId: 'bill-create-1' });
      expect(inserted!.changes).toEqual({ after: expect.objectContaining({ id: created.body.id, title: 'Pizza night', amount_minor: 3150, group_id: groupId, created_by: member.id }) });
      expect(updated).toMatchObject({ action: 'bill.updated', actorId: member.id, requestId: 'bill-update-1' });
      expect(updated!.changes).toEqual({ title: { from: 'Pizza night', to: 'Pizza & film' } });
      expect(deleted).toMatchObject({ action: 'bill.deleted', actorId: admin.id, requestId: 'bill-delete-1', changes: { before: expect.objectContaining({ title: 'Pizza & film' }) } });
      for (const entry of log.body.items as Entry[]) expect(JSON.stringify(entry.changes)).not.toMatch(/updated_at|"version"/);
    });

    it('records an invitation and a joining member without the invitation’s token hash', async () => {
      const invite = await request(product.app).post(`/api/v1/groups/${groupId}/invites`).set(bearer(admin)).set('X-Request-Id', 'invite-1').send({ maxUses: 2 }).expect(201);
      const joiner = await given(product.app).user();
      await request(product.app).post(`/api/v1/invites/${encodeURIComponent(invite.body.token)}/accept`).set(bearer(joiner)).set('X-Request-Id', 'accept-1').expect(200);

      const log = (await groupLog(admin, groupId, { limit: 3 }).expect(200)).body.items as Entry[];
      const [hash] = await asOwner<{ token_hash: string }>(`SELECT token_hash FROM invites WHERE group_id = $1 AND max_uses = 2`, [groupId]);

      expect(log.map((entry) => [entry.action, entry.actorId, entry.requestId])).toEqual([
        ['membership.created', joiner.id, 'accept-1'],
        ['invite.updated', joiner.id, 'accept-1'],
        ['invite.created', admin.id, 'invite-1'],
      ]);
      expect(log[0]).toMatchObject({ targetType: 'membership', targetId: joiner.id, changes: { after: expect.objectContaining({ role: 'member', group_id: groupId }) } });
      expect(log[1]!.changes).toEqual({ uses: { from: 0, to: 1 } });
      expect(log[2]!.changes).toEqual({ after: expect.objectContaining({ max_uses: 2, uses: 0, created_by: admin.id }) });
      expect(log[2]!.changes!.after).not.toHaveProperty('token_hash');
      const everything = await asOwner<{ text: string }>(`SELECT coalesce(string_agg(changes::text, ' '), '') AS text FROM audit_logs`);
      expect(everything[0]!.text).not.toContain(hash!.token_hash);
      expect(everything[0]!.text).not.toMatch(/token_hash|password|secret/);
    });

    it('records changes made by the system outside any request with no actor', async () => {
      await asOwner(`UPDATE groups SET name = 'Audited flat (renamed)' WHERE id = $1`, [groupId]);

      const [entry] = (await groupLog(admin, groupId, { action: 'group.updated' }).expect(200)).body.items as Entry[];

      expect(entry).toMatchObject({ actorId: null, groupId, targetType: 'group', targetId: groupId, requestId: null, changes: { name: { from: 'Audited flat', to: 'Audited flat (renamed)' } } });
    });
  });

  describe('in the same transaction', () => {
    it('keeps an entry with the unit of work’s request id when the change commits', async () => {
      const billId = randomUUID();

      await asUser(member.id, personalBillSql, [billId, member.id], 'sql-commit-1');

      const rows = await asOwner<{ action: string; actor_id: string; request_id: string }>(`SELECT action, actor_id, request_id FROM audit_logs WHERE target_id = $1`, [billId]);
      expect(rows).toEqual([{ action: 'bill.created', actor_id: member.id, request_id: 'sql-commit-1' }]);
    });

    it('leaves no entry when the change rolls back', async () => {
      const billId = randomUUID();

      const failing = product.runtime.transactions.run({ userId: member.id }, async () => {
        await product.runtime.transactions.manager().query(personalBillSql, [billId, member.id]);
        throw new Error('changed my mind');
      });

      await expect(failing).rejects.toThrow('changed my mind');
      expect(await asOwner(`SELECT 1 FROM audit_logs WHERE target_id = $1`, [billId])).toEqual([]);
    });
  });

  describe('append-only', () => {
    it('refuses to let the app role update, delete or add entries, even its own', async () => {
      const [own] = (await myLog(admin, { limit: 1 }).expect(200)).body.items as Entry[];

      const update = asUser(admin.id, `UPDATE audit_logs SET changes = NULL WHERE id = $1`, [own!.id]);
      const remove = asUser(admin.id, `DELETE FROM audit_logs WHERE id = $1`, [own!.id]);
      const insert = asUser(admin.id, `INSERT INTO audit_logs (action, target_type, target_id) VALUES ('bill.created', 'bill', 'forged')`);

      await expect(update).rejects.toThrow(/permission denied/);
      await expect(remove).rejects.toThrow(/permission denied/);
      await expect(insert).rejects.toThrow(/permission denied/);
      const [still] = await asOwner<{ changes: unknown }>(`SELECT changes FROM audit_logs WHERE id = $1`, [own!.id]);
      expect(still!.changes).toEqual(own!.changes);
    });

    it('shows the app role only its own entries and those of groups it administers', async () => {
      const seen = await asUser<{ actor_id: string | null; group_id: string | null }>(member.id, `SELECT actor_id, group_id FROM audit_logs`);

      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((row) => row.actor_id === member.id)).toBe(true);
    });
  });

  describe('who may read which log', () => {
    it('shows a group’s log to its admins, answers members 403 and strangers 404', async () => {
      const asAdmin = await groupLog(admin, groupId);
      const asMember = await groupLog(member, groupId);
      const asStranger = await groupLog(stranger, groupId);
      const unknown = await groupLog(admin, randomUUID());

      expect(asAdmin.status).toBe(200);
      expect(new Set((asAdmin.body.items as Entry[]).map((entry) => entry.groupId))).toEqual(new Set([groupId]));
      expect(asMember.status).toBe(403);
      expect(asMember.body.code).toBe('NOT_GROUP_ADMIN');
      expect(asStranger.status).toBe(404);
      expect(asStranger.body.code).toBe('GROUP_NOT_FOUND');
      expect(unknown.status).toBe(404);
      expect(unknown.body.code).toBe('GROUP_NOT_FOUND');
    });

    it('shows in me/audit only what the caller did, in their groups and personally', async () => {
      const mine = (await myLog(member, { limit: 200 }).expect(200)).body.items as Entry[];
      const admins = (await myLog(admin, { limit: 200 }).expect(200)).body.items as Entry[];

      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((entry) => entry.actorId === member.id)).toBe(true);
      expect(mine.map((entry) => entry.action)).toEqual(expect.arrayContaining(['membership.created', 'bill.created', 'user.updated']));
      expect(admins.every((entry) => entry.actorId === admin.id)).toBe(true);
      expect(admins.map((entry) => entry.action)).toEqual(expect.arrayContaining(['group.created', 'invite.created']));
    });

    it('answers 401 without a token', async () => {
      expect((await request(product.app).get('/api/v1/me/audit')).status).toBe(401);
      expect((await request(product.app).get(`/api/v1/groups/${groupId}/audit`)).status).toBe(401);
    });

    it('answers 400 naming the bad filter', async () => {
      const bad: Array<[Record<string, string | number>, string]> = [
        [{ limit: 0 }, 'query.limit'],
        [{ limit: 201 }, 'query.limit'],
        [{ action: 'DROP TABLE' }, 'query.action'],
        [{ targetType: 'Bill!' }, 'query.targetType'],
        [{ from: 'yesterday' }, 'query.from'],
        [{ from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }, 'query.to'],
        [{ actorId: 'someone' }, 'query.actorId'],
      ];
      for (const [query, field] of bad) {
        const response = await groupLog(admin, groupId, query);
        expect({ query, status: response.status, fields: response.body.errors?.map((error: { field: string }) => error.field) }).toEqual({ query, status: 400, fields: [field] });
      }
      const badCursor = await myLog(admin, { cursor: 'not-a-cursor' });
      expect(badCursor.status).toBe(400);
      expect(badCursor.body.code).toBe('INVALID_CURSOR');
      expect((await groupLog(admin, 'not-a-uuid')).status).toBe(400);
    });
  });

  describe('filters and pages', () => {
    let spender: GivenUser;
    let bills: string[];

    beforeAll(async () => {
      spender = await given(product.app).user();
      bills = [];
      for (let index = 0; index < 7; index++) bills.push((await bill(spender, { title: `Bill ${index}` })).body.id);
    });

    it('walks every entry exactly once, newest first, through the cursor', async () => {
      const all = (await myLog(spender, { limit: 200 }).expect(200)).body as { items: Entry[]; nextCursor: string | null };

      const { pages } = await walk((query) => myLog(spender, query), { limit: 3 });

      const walked = pages.flat();
      expect(all.nextCursor).toBeNull();
      expect(all.items.length).toBeGreaterThan(7);
      expect(pages.slice(0, -1).every((page) => page.length === 3)).toBe(true);
      expect(pages.at(-1)!.length).toBeGreaterThan(0);
      expect(walked.map((entry) => entry.id)).toEqual(all.items.map((entry) => entry.id));
      expect(new Set(walked.map((entry) => entry.id)).size).toBe(walked.length);
      const times = walked.map((entry) => Date.parse(entry.occurredAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    it('filters by action, target type and target', async () => {
      const created = (await myLog(spender, { action: 'bill.created', limit: 200 }).expect(200)).body.items as Entry[];
      const categories = (await myLog(spender, { targetType: 'category', limit: 200 }).expect(200)).body.items as Entry[];
      const one = (await myLog(spender, { targetId: bills[3]! }).expect(200)).body.items as Entry[];

      expect(created.map((entry) => entry.targetId)).toEqual([...bills].reverse());
      expect(categories.length).toBeGreaterThan(0);
      expect(categories.every((entry) => entry.targetType === 'category')).toBe(true);
      expect(one).toEqual([expect.objectContaining({ action: 'bill.created', targetId: bills[3], changes: { after: expect.objectContaining({ title: 'Bill 3' }) } })]);
    });

    it('filters by time, from inclusive and to exclusive, and pages within the filter', async () => {
      const created = ((await myLog(spender, { action: 'bill.created', limit: 200 }).expect(200)).body.items as Entry[]).reverse();
      const from = created[2]!.occurredAt;
      const to = created[5]!.occurredAt;

      const { pages } = await walk((query) => myLog(spender, query), { action: 'bill.created', from, to, limit: 2 });

      expect(pages.flat().map((entry) => entry.targetId)).toEqual([bills[4], bills[3], bills[2]]);
      expect(pages.map((page) => page.length)).toEqual([2, 1]);
    });

    it('filters a group’s log by actor', async () => {
      const bymember = (await groupLog(admin, groupId, { actorId: member.id, limit: 200 }).expect(200)).body.items as Entry[];

      expect(bymember.length).toBeGreaterThan(0);
      expect(bymember.every((entry) => entry.actorId === member.id && entry.groupId === groupId)).toBe(true);
    });
  });

  describe('when an account is deleted', () => {
    it('keeps the events with no actor and blanks the person’s own data', async () => {
      const leaver = await join(admin, groupId, 'leaver-joins');
      await request(product.app).patch('/api/v1/me').set(bearer(leaver)).send({ firstName: 'Secretive', lastName: 'Person' }).expect(200);
      const groupBill = await bill(leaver, { groupId, title: 'Shared lunch' });
      const personalBill = await bill(leaver, { title: 'Private therapy' });

      await request(product.app).post('/api/v1/me/deletion').set(bearer(leaver)).expect(202);
      const link = /token=(\S+)/.exec((await receivedMail(leaver.email)).text);
      await request(product.app).post('/api/v1/me/deletion/confirm').set('X-Request-Id', 'goodbye-1').send({ token: decodeURIComponent(link![1]!) }).expect(204);

      const entries = await asOwner<{ action: string; actor_id: string | null; group_id: string | null; target_id: string; changes: unknown; request_id: string | null }>(
        `SELECT action, actor_id, group_id, target_id, changes, request_id FROM audit_logs
          WHERE target_id = ANY($1) OR request_id = 'leaver-joins' ORDER BY seq`,
        [[leaver.id, groupBill.body.id, personalBill.body.id]],
      );
      const about = (action: string, target: string) => entries.filter((entry) => entry.action === action && entry.target_id === target);

      expect(entries.every((entry) => entry.actor_id === null)).toBe(true);
      expect(about('user.created', leaver.id)).toEqual([expect.objectContaining({ changes: null })]);
      expect(about('user.updated', leaver.id).map((entry) => entry.changes)).toEqual([null, null]); // onboarding, then the name change
      expect(about('user.deleted', leaver.id)).toEqual([expect.objectContaining({ changes: null, request_id: 'goodbye-1' })]);
      expect(about('bill.created', personalBill.body.id)).toEqual([expect.objectContaining({ group_id: null, changes: null })]);
      expect(about('bill.created', groupBill.body.id)).toEqual([expect.objectContaining({ group_id: groupId, changes: { after: expect.objectContaining({ title: 'Shared lunch' }) } })]);
      expect(about('membership.created', leaver.id)).toEqual([expect.objectContaining({ group_id: groupId, request_id: 'leaver-joins' })]);
      const adminSees = (await groupLog(admin, groupId, { targetId: leaver.id }).expect(200)).body.items as Entry[];
      expect(adminSees.map((entry) => [entry.action, entry.actorId])).toEqual([
        ['membership.deleted', null],
        ['membership.created', null],
      ]);
      const [{ text }] = (await asOwner<{ text: string }>(`SELECT coalesce(string_agg(changes::text, ' '), '') AS text FROM audit_logs`)) as [{ text: string }];
      expect(text).not.toContain(leaver.email);
      expect(text).not.toContain('Secretive');
      expect(text).not.toContain('Private therapy');
    });

    it('keeps a deleted group’s deletion in its admin’s own log and drops the group’s log', async () => {
      const soloAdmin = await given(product.app).user({ groupName: 'Short-lived' });
      const soloGroup = (await request(product.app).get('/api/v1/groups').set(bearer(soloAdmin))).body.items[0].id;
      await asUser(soloAdmin.id, `DELETE FROM groups WHERE id = $1`, [soloGroup], 'group-gone-1');

      const mine = (await myLog(soloAdmin, { targetType: 'group' }).expect(200)).body.items as Entry[];
      const left = await asOwner(`SELECT action FROM audit_logs WHERE group_id = $1`, [soloGroup]);

      expect(mine.map((entry) => [entry.action, entry.groupId, entry.requestId])).toEqual([
        ['group.deleted', null, 'group-gone-1'],
      ]);
      expect(mine[0]!.changes).toEqual({ before: expect.objectContaining({ name: 'Short-lived' }) });
      expect(left).toEqual([]);
    });
  });
});
