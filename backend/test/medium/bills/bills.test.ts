import request from 'supertest';
import { open } from '../../../src/platform/bus';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor, withClient } from '../../support/database';
import { bearer, given, type GivenUser } from '../../support/given';

describe(`bills (${flavor})`, () => {
  let product: TestApp;
  let owner: GivenUser;

  beforeAll(async () => {
    product = await startTestApp({ RATE_LIMIT_MAX: '100000' });
    owner = await given(product.app).user();
  });

  afterAll(() => product.close());

  const post = (user: GivenUser, body: object, headers: Record<string, string> = {}) => request(product.app).post('/api/v1/bills').set(bearer(user)).set(headers).send(body);
  const base = { title: 'Weekly shop', amount: '54.20', spentAt: '2026-11-21T09:30:00+01:00' };

  it('records a personal bill in the user’s base currency and reads it back with its ETag', async () => {
    const created = await post(owner, { ...base, payee: 'Spar', notes: 'milk, bread', tags: ['Food', 'food', 'weekly'], timeZone: 'Europe/Vienna' });
    const read = await request(product.app).get(`/api/v1/bills/${created.body.id}`).set(bearer(owner));

    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe(`/api/v1/bills/${created.body.id}`);
    expect(created.body).toMatchObject({ ownerId: owner.id, createdBy: owner.id, groupId: null, amount: '54.20', currency: 'EUR', baseAmount: '54.20', baseCurrency: 'EUR', spentOn: '2026-11-21', tags: ['food', 'weekly'], version: 1 });
    expect(read.body).toEqual(created.body);
  });

  it('announces the bill it records: one bill.created event with its values and the request id', async () => {
    const created = await post(owner, { ...base, categoryId: undefined }, { 'X-Request-Id': 'bill-event-1' });
    const events = await withClient(product.database.ownerUrl, async (client) =>
      (await client.query<{ scope_key: string; envelope: Buffer }>(`SELECT scope_key, envelope FROM outbox WHERE topic = 'bill.created' ORDER BY seq`)).rows
        .map((row) => ({ scopeKey: row.scope_key, envelope: open(row.envelope) }))
        .filter(({ envelope }) => envelope.payload.case === 'billCreated' && envelope.payload.value.bill?.billId === created.body.id),
    );

    expect(events).toHaveLength(1);
    expect(events[0]!.scopeKey).toBe(owner.id);
    expect(events[0]!.envelope.correlationId).toBe('bill-event-1');
    expect(events[0]!.envelope.payload.value).toMatchObject({ bill: { billId: created.body.id, userId: owner.id, createdBy: owner.id, version: 1, title: 'Weekly shop', amount: '54.20', currency: 'EUR', spentOn: '2026-11-21' } });
  });

  it('keeps each currency’s minor digits: 3 decimals refused for EUR, yen without decimals', async () => {
    const euro = await post(owner, { ...base, amount: '1.005' });
    const yen = await post(owner, { ...base, amount: '1500', currency: 'JPY', exchangeRate: '0.0062' });
    const yenDecimals = await post(owner, { ...base, amount: '1500.5', currency: 'JPY', exchangeRate: '0.0062' });

    expect(euro.status).toBe(422);
    expect(euro.body.code).toBe('INVALID_AMOUNT');
    expect(yen.status).toBe(201);
    expect(yen.body).toMatchObject({ amount: '1500', currency: 'JPY', exchangeRate: '0.0062', baseAmount: '9.30', baseCurrency: 'EUR' });
    expect(yenDecimals.status).toBe(422);
  });

  it('asks for a rate when a foreign-currency bill has none', async () => {
    const response = await post(owner, { ...base, currency: 'USD' });

    expect(response.status).toBe(422);
    expect(response.body.code).toBe('EXCHANGE_RATE_REQUIRED');
  });

  it('answers invalid input with 400 naming each field', async () => {
    const response = await post(owner, { title: '', amount: '-3', spentAt: 'yesterday', currency: 'EURO', tags: 'food' });

    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['body.amount', 'body.currency', 'body.spentAt', 'body.tags', 'body.title']);
  });

  describe('splits', () => {
    let admin: GivenUser;
    let member: GivenUser;
    let groupId: string;

    beforeAll(async () => {
      ({ admin, member, groupId } = await given(product.app).groupWithMember('Flat'));
    });

    it('splits equally, by exact amounts and by percentages, shares summing to the amount', async () => {
      const people = [{ userId: admin.id }, { userId: member.id }];
      const equal = await post(admin, { ...base, amount: '10.01', groupId, split: { kind: 'equal', participants: people } });
      const exact = await post(admin, { ...base, amount: '10.00', groupId, split: { kind: 'exact', participants: [{ userId: admin.id, amount: '7.50' }, { userId: member.id, amount: '2.50' }] } });
      const percent = await post(admin, { ...base, amount: '10.00', groupId, split: { kind: 'percent', participants: [{ userId: admin.id, percent: '33.3333' }, { userId: member.id, percent: '66.6667' }] } });

      expect(equal.body.split.participants.map((p: { amount: string }) => p.amount).sort()).toEqual(['5.00', '5.01']);
      expect(exact.body.split.participants.map((p: { amount: string }) => p.amount).sort()).toEqual(['2.50', '7.50']);
      expect(percent.body.split.participants.map((p: { amount: string }) => p.amount).sort()).toEqual(['3.33', '6.67']);
    });

    it('refuses exact amounts or percentages that do not add up, and participants outside the group', async () => {
      const stranger = await given(product.app).user();
      const exact = await post(admin, { ...base, amount: '10.00', groupId, split: { kind: 'exact', participants: [{ userId: admin.id, amount: '7.50' }, { userId: member.id, amount: '2.49' }] } });
      const percent = await post(admin, { ...base, groupId, split: { kind: 'percent', participants: [{ userId: admin.id, percent: '50' }, { userId: member.id, percent: '49' }] } });
      const outsider = await post(admin, { ...base, groupId, split: { kind: 'equal', participants: [{ userId: admin.id }, { userId: stranger.id }] } });

      for (const response of [exact, percent, outsider]) {
        expect(response.status).toBe(422);
        expect(response.body.code).toBe('SPLIT_INVALID');
      }
    });
  });

  describe('Idempotency-Key', () => {
    it('returns the same bill for the same key and body, and 422 for the same key with another body', async () => {
      const first = await post(owner, base, { 'Idempotency-Key': 'order-1' });
      const retry = await post(owner, base, { 'Idempotency-Key': 'order-1' });
      const other = await post(owner, { ...base, amount: '99.00' }, { 'Idempotency-Key': 'order-1' });

      expect(retry.status).toBe(201);
      expect(retry.body).toEqual(first.body);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('creates exactly one bill when ten retries of one key arrive at once', async () => {
      const user = await given(product.app).user();
      const body = { ...base, title: 'Concurrent retry' };

      const responses = await Promise.all(Array.from({ length: 10 }, () => post(user, body, { 'Idempotency-Key': 'burst-7' })));

      expect(responses.map((response) => response.status)).toEqual(Array(10).fill(201));
      expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
      const stored = await withClient(product.database.ownerUrl, (client) => client.query(`SELECT count(*)::int AS n FROM bills WHERE user_id = $1`, [user.id]));
      expect(stored.rows[0].n).toBe(1);
    });

    it('keeps keys apart between users', async () => {
      const someoneElse = await given(product.app).user();
      const mine = await post(owner, { ...base, title: 'Mine' }, { 'Idempotency-Key': 'shared-key' });
      const theirs = await post(someoneElse, { ...base, title: 'Theirs' }, { 'Idempotency-Key': 'shared-key' });

      expect(theirs.body.id).not.toBe(mine.body.id);
    });
  });

  describe('optimistic concurrency', () => {
    it('changes a bill with the current version and refuses a stale one with 412', async () => {
      const bill = await given(product.app).bill(owner);

      const changed = await request(product.app).patch(`/api/v1/bills/${bill.id}`).set(bearer(owner)).set('If-Match', '"1"').send({ amount: '12.00', title: 'Corrected' });
      const stale = await request(product.app).patch(`/api/v1/bills/${bill.id}`).set(bearer(owner)).set('If-Match', '"1"').send({ title: 'Lost update' });

      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ amount: '12.00', title: 'Corrected', version: 2 });
      expect(changed.headers.etag).toBe('"2"');
      expect(stale.status).toBe(412);
      expect(stale.body).toMatchObject({ code: 'VERSION_MISMATCH', currentVersion: 2 });
    });

    it('lets exactly one of five concurrent changes of the same version win', async () => {
      const bill = await given(product.app).bill(owner);

      const responses = await Promise.all(
        Array.from({ length: 5 }, (_, index) => request(product.app).patch(`/api/v1/bills/${bill.id}`).set(bearer(owner)).set('If-Match', '"1"').send({ title: `Writer ${index}` })),
      );

      expect(responses.map((response) => response.status).sort()).toEqual([200, 412, 412, 412, 412]);
    });

    it('requires If-Match with 428', async () => {
      const bill = await given(product.app).bill(owner);

      const response = await request(product.app).patch(`/api/v1/bills/${bill.id}`).set(bearer(owner)).send({ title: 'No version' });

      expect(response.status).toBe(428);
      expect(response.body.code).toBe('VERSION_REQUIRED');
    });
  });

  describe('listing', () => {
    let lister: GivenUser;

    beforeAll(async () => {
      lister = await given(product.app).user();
      const titles = ['Crème brûlée at Café Dupont', 'Cafeteria lunch', 'Bakery', 'Hardware store', 'Pharmacy'];
      for (const [index, title] of titles.entries()) {
        await given(product.app).bill(lister, { title, amount: `${index + 1}0.00`, spentAt: `2026-11-0${index + 1}T12:00:00Z`, tags: index % 2 === 0 ? ['even'] : [] });
      }
    });

    const list = (query: Record<string, string>) => request(product.app).get('/api/v1/bills').set(bearer(lister)).query(query);

    it('finds accented words without accents and partial words, ignoring case', async () => {
      const accentless = await list({ q: 'creme brulee' });
      const partial = await list({ q: 'CAFE' });

      expect(accentless.body.items.map((bill: { title: string }) => bill.title)).toEqual(['Crème brûlée at Café Dupont']);
      expect(partial.body.items.map((bill: { title: string }) => bill.title).sort()).toEqual(['Cafeteria lunch', 'Crème brûlée at Café Dupont']);
    });

    it('walks all pages with the cursor, newest first, without duplicates or gaps, and totals the whole set', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await list({ limit: '2', ...(cursor ? { cursor } : {}) });
        expect(page.body.total).toEqual({ count: 5, amount: '150.00', currency: 'EUR' });
        seen.push(...page.body.items.map((bill: { title: string }) => bill.title));
        cursor = page.body.nextCursor ?? undefined;
      } while (cursor);

      expect(seen).toEqual(['Pharmacy', 'Hardware store', 'Bakery', 'Cafeteria lunch', 'Crème brûlée at Café Dupont']);
    });

    it('filters by tag, amount range and date range, and sorts by amount or title', async () => {
      const tagged = await list({ tag: 'even' });
      const ranged = await list({ minAmount: '20', maxAmount: '40', sort: 'amount' });
      const dated = await list({ from: '2026-11-02T00:00:00Z', to: '2026-11-04T00:00:00Z', sort: 'title' });

      expect(tagged.body.total.count).toBe(3);
      expect(ranged.body.items.map((bill: { amount: string }) => bill.amount)).toEqual(['20.00', '30.00', '40.00']);
      expect(dated.body.items.map((bill: { title: string }) => bill.title)).toEqual(['Bakery', 'Cafeteria lunch']);
    });

    it('refuses a cursor it did not hand out and a bad sort with 400', async () => {
      expect((await list({ cursor: 'bm9wZQ' })).body.code).toBe('INVALID_CURSOR');
      expect((await list({ sort: 'price' })).status).toBe(400);
    });
  });

  it('keeps the totals of a filter current as soon as a bill of the scope changes', async () => {
    const user = await given(product.app).user();
    const totals = async () => (await request(product.app).get('/api/v1/bills').set(bearer(user)).query({ q: 'totals' }).expect(200)).body.total;
    const first = await given(product.app).bill(user, { title: 'Totals one', amount: '10.00' });
    const before = await totals();

    await given(product.app).bill(user, { title: 'Totals two', amount: '5.00' });
    const afterCreate = await totals();
    await request(product.app).patch(`/api/v1/bills/${first.id}`).set(bearer(user)).set('If-Match', `"${first.version}"`).send({ amount: '1.00' }).expect(200);
    const afterUpdate = await totals();

    expect([before, afterCreate, afterUpdate].map((total) => [total.count, total.amount])).toEqual([[1, '10.00'], [2, '15.00'], [2, '6.00']]);
  });

  it('deletes a bill', async () => {
    const bill = await given(product.app).bill(owner);

    await request(product.app).delete(`/api/v1/bills/${bill.id}`).set(bearer(owner)).expect(204);

    await request(product.app).get(`/api/v1/bills/${bill.id}`).set(bearer(owner)).expect(404);
  });

  it('keeps a group bill attributed to "deleted user" when its creator deletes their account', async () => {
    const admin = await given(product.app).user({ groupName: 'Club' });
    const groupId = await given(product.app).groupOf(admin);
    const leaver = await given(product.app).member(admin, groupId);
    const groupBill = await given(product.app).bill(leaver, { groupId });
    await given(product.app).bill(leaver, { title: 'Personal' });

    await product.runtime.transactions.run({ userId: leaver.id }, () => product.runtime.transactions.manager().query('DELETE FROM users WHERE id = $1', [leaver.id]));

    const kept = await request(product.app).get(`/api/v1/bills/${groupBill.id}`).set(bearer(admin));
    expect(kept.status).toBe(200);
    expect(kept.body.createdBy).toBeNull();
    const personal = await withClient(product.database.ownerUrl, (client) => client.query(`SELECT count(*)::int AS n FROM bills WHERE user_id = $1`, [leaver.id]));
    expect(personal.rows[0].n).toBe(0);
  });
});
