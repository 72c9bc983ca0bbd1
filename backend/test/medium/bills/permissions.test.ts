import request from 'supertest';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor, withClient } from '../../support/database';
import { bearer, given, type GivenUser } from '../../support/given';

type Actor = 'owner' | 'creator' | 'admin' | 'peer' | 'stranger';
type Resource = 'personal bill' | 'member’s bill in a hiding group' | 'member’s bill in an open group' | 'admin’s bill in a hiding group';
type Action = 'view' | 'edit' | 'delete' | 'find in list';

/**
 * Who may do what, as the API answers it. "creator" is the member who recorded the bill (for the
 * admin's bill: a plain member), "peer" another member of the same group, "stranger" anyone else.
 * 404 where the caller may not even know the bill exists; 403 where they may see but not change it.
 */
const MATRIX: Array<[Actor, Resource, Action, number]> = [
  ['owner', 'personal bill', 'view', 200],
  ['owner', 'personal bill', 'edit', 200],
  ['owner', 'personal bill', 'delete', 204],
  ['owner', 'personal bill', 'find in list', 200],
  ['admin', 'personal bill', 'view', 404],
  ['admin', 'personal bill', 'edit', 404],
  ['admin', 'personal bill', 'delete', 404],
  ['stranger', 'personal bill', 'view', 404],
  ['stranger', 'personal bill', 'delete', 404],

  ['creator', 'member’s bill in a hiding group', 'view', 200],
  ['creator', 'member’s bill in a hiding group', 'edit', 200],
  ['creator', 'member’s bill in a hiding group', 'delete', 204],
  ['creator', 'member’s bill in a hiding group', 'find in list', 200],
  ['admin', 'member’s bill in a hiding group', 'view', 200],
  ['admin', 'member’s bill in a hiding group', 'edit', 200],
  ['admin', 'member’s bill in a hiding group', 'delete', 204],
  ['admin', 'member’s bill in a hiding group', 'find in list', 200],
  ['peer', 'member’s bill in a hiding group', 'view', 404],
  ['peer', 'member’s bill in a hiding group', 'edit', 404],
  ['peer', 'member’s bill in a hiding group', 'delete', 404],
  ['peer', 'member’s bill in a hiding group', 'find in list', 404],
  ['stranger', 'member’s bill in a hiding group', 'view', 404],
  ['stranger', 'member’s bill in a hiding group', 'edit', 404],
  ['stranger', 'member’s bill in a hiding group', 'delete', 404],
  ['stranger', 'member’s bill in a hiding group', 'find in list', 404],

  ['peer', 'member’s bill in an open group', 'view', 200],
  ['peer', 'member’s bill in an open group', 'edit', 403],
  ['peer', 'member’s bill in an open group', 'delete', 403],
  ['peer', 'member’s bill in an open group', 'find in list', 200],
  ['stranger', 'member’s bill in an open group', 'view', 404],

  ['admin', 'admin’s bill in a hiding group', 'edit', 200],
  ['creator', 'admin’s bill in a hiding group', 'view', 404],
  ['creator', 'admin’s bill in a hiding group', 'edit', 404],
  ['creator', 'admin’s bill in a hiding group', 'delete', 404],
];

describe(`who may do what with bills (${flavor})`, () => {
  let product: TestApp;
  const people = {} as Record<Actor, GivenUser>;
  const groups = {} as Record<'hiding' | 'open', string>;

  beforeAll(async () => {
    product = await startTestApp({ RATE_LIMIT_MAX: '100000' });
    const make = given(product.app);
    people.owner = await make.user();
    people.admin = await make.user({ groupName: 'Hiding household' });
    groups.hiding = await make.groupOf(people.admin);
    const openGroup = await request(product.app).post('/api/v1/groups').set(bearer(people.admin)).send({ name: 'Open household', baseCurrency: 'EUR' }).expect(201);
    groups.open = openGroup.body.id;
    await withClient(product.database.ownerUrl, (client) => client.query('UPDATE groups SET members_see_all_bills = true WHERE id = $1', [groups.open]));
    people.creator = await make.member(people.admin, groups.hiding);
    people.peer = await make.member(people.admin, groups.hiding);
    for (const member of [people.creator, people.peer]) {
      const invite = await request(product.app).post(`/api/v1/groups/${groups.open}/invites`).set(bearer(people.admin)).send({}).expect(201);
      await request(product.app).post(`/api/v1/invites/${encodeURIComponent(invite.body.token)}/accept`).set(bearer(member)).expect(200);
    }
    people.stranger = await make.user();
  });

  afterAll(() => product.close());

  async function createResource(resource: Resource): Promise<{ id: string; groupId: string | null }> {
    const make = given(product.app);
    switch (resource) {
      case 'personal bill':
        return make.bill(people.owner, { title: 'Matrix personal' });
      case 'member’s bill in a hiding group':
        return make.bill(people.creator, { title: 'Matrix hiding', groupId: groups.hiding });
      case 'member’s bill in an open group':
        return make.bill(people.creator, { title: 'Matrix open', groupId: groups.open });
      case 'admin’s bill in a hiding group':
        return make.bill(people.admin, { title: 'Matrix admin', groupId: groups.hiding });
    }
  }

  async function attempt(actor: GivenUser, action: Action, bill: { id: string; groupId: string | null }): Promise<number> {
    const auth = bearer(actor);
    switch (action) {
      case 'view':
        return (await request(product.app).get(`/api/v1/bills/${bill.id}`).set(auth)).status;
      case 'edit':
        return (await request(product.app).patch(`/api/v1/bills/${bill.id}`).set(auth).set('If-Match', '"1"').send({ title: 'Changed' })).status;
      case 'delete':
        return (await request(product.app).delete(`/api/v1/bills/${bill.id}`).set(auth)).status;
      case 'find in list': {
        const page = await request(product.app).get('/api/v1/bills').set(auth).query(bill.groupId ? { groupId: bill.groupId } : {});
        if (page.status !== 200) return page.status;
        return page.body.items.some((item: { id: string }) => item.id === bill.id) ? 200 : 404;
      }
    }
  }

  it.each(MATRIX)('%s → %s → %s answers %i', async (actor, resource, action, expected) => {
    const bill = await createResource(resource);
    expect(await attempt(people[actor], action, bill)).toBe(expected);
  });

  it('lets members record bills in their group and tells strangers the group does not exist', async () => {
    const member = await request(product.app).post('/api/v1/bills').set(bearer(people.peer)).send({ title: 'Mine', amount: '1.00', spentAt: '2026-11-20T10:00:00Z', groupId: groups.hiding });
    const stranger = await request(product.app).post('/api/v1/bills').set(bearer(people.stranger)).send({ title: 'Sneaky', amount: '1.00', spentAt: '2026-11-20T10:00:00Z', groupId: groups.hiding });
    const strangerList = await request(product.app).get('/api/v1/bills').set(bearer(people.stranger)).query({ groupId: groups.hiding });

    expect(member.status).toBe(201);
    expect(stranger.status).toBe(404);
    expect(stranger.body.code).toBe('GROUP_NOT_FOUND');
    expect(strangerList.status).toBe(404);
  });

  it('shows a member of a hiding group only their own bills in the group listing and totals', async () => {
    await given(product.app).bill(people.admin, { title: 'Admin only', groupId: groups.hiding, amount: '500.00' });
    const page = await request(product.app).get('/api/v1/bills').set(bearer(people.peer)).query({ groupId: groups.hiding, limit: '200' });

    expect(page.body.items.every((bill: { createdBy: string }) => bill.createdBy === people.peer.id)).toBe(true);
    expect(page.body.items.some((bill: { title: string }) => bill.title === 'Admin only')).toBe(false);
  });
});
