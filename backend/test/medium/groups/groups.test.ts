import request from 'supertest';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor } from '../../support/database';
import { outboxEvents } from '../../support/events';
import { bearer, given } from '../../support/given';

describe(`managing groups (${flavor})`, () => {
  let product: TestApp;

  beforeAll(async () => {
    product = await startTestApp({ RATE_LIMIT_MAX: '100000' });
  });

  afterAll(() => product.close());

  it('publishes user.joined for the creator (admin) and each member who joins, in the group’s scope', async () => {
    const { admin, member, groupId } = await given(product.app).groupWithMember('Household');
    const created = await request(product.app).post('/api/v1/groups').set(bearer(admin)).send({ name: 'Second home', baseCurrency: 'EUR' }).expect(201);

    const joined = await outboxEvents(product.database.ownerUrl, 'user.joined');

    expect(joined.filter((event) => event.scope_key === groupId)).toEqual([
      { scope_key: groupId, payload: { userId: admin.id, groupId, role: 'admin' } },
      { scope_key: groupId, payload: { userId: member.id, groupId, role: 'member' } },
    ]);
    expect(joined.filter((event) => event.scope_key === created.body.id)).toEqual([{ scope_key: created.body.id, payload: { userId: admin.id, groupId: created.body.id, role: 'admin' } }]);
  });

  it('lists members with their names and roles to members, and hides the group from strangers', async () => {
    const { admin, member, groupId } = await given(product.app).groupWithMember('Household');
    const stranger = await given(product.app).user();

    const listed = await request(product.app).get(`/api/v1/groups/${groupId}/members`).set(bearer(member));
    const hidden = await request(product.app).get(`/api/v1/groups/${groupId}/members`).set(bearer(stranger));

    expect(listed.body.items.map((m: { userId: string; role: string }) => [m.userId, m.role])).toEqual([[admin.id, 'admin'], [member.id, 'member']]);
    expect(listed.body.items[1]).toMatchObject({ username: member.username, firstName: 'Test' });
    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe('GROUP_NOT_FOUND');
  });

  it('lets admins rename the group and open members’ bills to each other; members may not', async () => {
    const { admin, member, groupId } = await given(product.app).groupWithMember('Household');

    const refused = await request(product.app).patch(`/api/v1/groups/${groupId}`).set(bearer(member)).send({ membersSeeAllBills: true });
    const changed = await request(product.app).patch(`/api/v1/groups/${groupId}`).set(bearer(admin)).send({ name: 'Home', membersSeeAllBills: true });

    expect(refused.status).toBe(403);
    expect(changed.body).toMatchObject({ name: 'Home', membersSeeAllBills: true });
    const adminBill = await given(product.app).bill(admin, { groupId });
    expect((await request(product.app).get(`/api/v1/bills/${adminBill.id}`).set(bearer(member))).status).toBe(200);
  });

  it('keeps a time zone of its own: the creator’s unless given, changed by admins only, known zones only', async () => {
    const admin = await given(product.app).user();
    await request(product.app).patch('/api/v1/me').set(bearer(admin)).send({ settings: { timeZone: 'Asia/Tokyo' } }).expect(200);

    const inherited = await request(product.app).post('/api/v1/groups').set(bearer(admin)).send({ name: 'Tokyo office', baseCurrency: 'JPY' }).expect(201);
    const explicit = await request(product.app).post('/api/v1/groups').set(bearer(admin)).send({ name: 'Lisbon office', baseCurrency: 'EUR', timeZone: 'Europe/Lisbon' }).expect(201);
    const member = await given(product.app).member(admin, inherited.body.id);
    const refused = await request(product.app).patch(`/api/v1/groups/${inherited.body.id}`).set(bearer(member)).send({ timeZone: 'UTC' });
    const moved = await request(product.app).patch(`/api/v1/groups/${inherited.body.id}`).set(bearer(admin)).send({ timeZone: 'America/New_York' });
    const unknown = await request(product.app).patch(`/api/v1/groups/${inherited.body.id}`).set(bearer(admin)).send({ timeZone: 'Mars/Olympus' });

    expect(inherited.body.timeZone).toBe('Asia/Tokyo');
    expect(explicit.body.timeZone).toBe('Europe/Lisbon');
    expect(refused.status).toBe(403);
    expect(moved.body.timeZone).toBe('America/New_York');
    expect([unknown.status, unknown.body.errors?.[0]?.field]).toEqual([400, 'body.timeZone']);
    expect((await request(product.app).get(`/api/v1/groups/${inherited.body.id}`).set(bearer(member))).body.timeZone).toBe('America/New_York');
  });

  it('keeps at least one admin: the only admin can neither step down nor leave while others remain', async () => {
    const { admin, member, groupId } = await given(product.app).groupWithMember('Household');

    const stepDown = await request(product.app).patch(`/api/v1/groups/${groupId}/members/${admin.id}`).set(bearer(admin)).send({ role: 'member' });
    const leave = await request(product.app).delete(`/api/v1/groups/${groupId}/members/${admin.id}`).set(bearer(admin));
    await request(product.app).patch(`/api/v1/groups/${groupId}/members/${member.id}`).set(bearer(admin)).send({ role: 'admin' }).expect(200);
    const afterHandover = await request(product.app).delete(`/api/v1/groups/${groupId}/members/${admin.id}`).set(bearer(admin));

    expect(stepDown.status).toBe(409);
    expect(stepDown.body.code).toBe('LAST_ADMIN');
    expect(leave.body.code).toBe('LAST_ADMIN');
    expect(afterHandover.status).toBe(204);
    const members = await request(product.app).get(`/api/v1/groups/${groupId}/members`).set(bearer(member));
    expect(members.body.items).toEqual([expect.objectContaining({ userId: member.id, role: 'admin' })]);
  });

  it('never ends with no admin when two admins demote each other at once', async () => {
    const { admin, member, groupId } = await given(product.app).groupWithMember('Household');
    await request(product.app).patch(`/api/v1/groups/${groupId}/members/${member.id}`).set(bearer(admin)).send({ role: 'admin' }).expect(200);

    const [first, second] = await Promise.all([
      request(product.app).patch(`/api/v1/groups/${groupId}/members/${member.id}`).set(bearer(admin)).send({ role: 'member' }),
      request(product.app).patch(`/api/v1/groups/${groupId}/members/${admin.id}`).set(bearer(member)).send({ role: 'member' }),
    ]);

    // The loser is refused either as no longer an admin (403) or as the last admin (409), depending on timing.
    const statuses = [first.status, second.status].sort();
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const members = await request(product.app).get(`/api/v1/groups/${groupId}/members`).set(bearer(admin));
    expect(members.body.items.filter((m: { role: string }) => m.role === 'admin')).toHaveLength(1);
  });

  it('lets members leave and admins remove members; members cannot remove others', async () => {
    const { admin, member, groupId } = await given(product.app).groupWithMember('Household');
    const other = await given(product.app).member(admin, groupId);

    expect((await request(product.app).delete(`/api/v1/groups/${groupId}/members/${other.id}`).set(bearer(member))).status).toBe(403);
    expect((await request(product.app).delete(`/api/v1/groups/${groupId}/members/${member.id}`).set(bearer(member))).status).toBe(204);
    expect((await request(product.app).delete(`/api/v1/groups/${groupId}/members/${other.id}`).set(bearer(admin))).status).toBe(204);
    expect((await request(product.app).get(`/api/v1/groups/${groupId}`).set(bearer(member))).status).toBe(404);
  });

  it('revokes an invitation so its link stops working, and lists invitations without tokens', async () => {
    const { admin, groupId } = await given(product.app).groupWithMember('Household');
    const invite = await request(product.app).post(`/api/v1/groups/${groupId}/invites`).set(bearer(admin)).send({ expiresInHours: 24 });
    const listed = await request(product.app).get(`/api/v1/groups/${groupId}/invites`).set(bearer(admin));
    const inviteId = listed.body.items[0].id;

    await request(product.app).delete(`/api/v1/groups/${groupId}/invites/${inviteId}`).set(bearer(admin)).expect(204);
    const joiner = await given(product.app).user();
    const accept = await request(product.app).post(`/api/v1/invites/${encodeURIComponent(invite.body.token)}/accept`).set(bearer(joiner));

    expect(JSON.stringify(listed.body)).not.toContain(invite.body.token.split('.')[1]);
    expect(accept.status).toBe(404);
    expect(accept.body.code).toBe('INVITE_INVALID');
  });

  it('deletes the group with its bills (admins only)', async () => {
    const { admin, member, groupId } = await given(product.app).groupWithMember('Household');
    const bill = await given(product.app).bill(member, { groupId });

    expect((await request(product.app).delete(`/api/v1/groups/${groupId}`).set(bearer(member))).status).toBe(403);
    await request(product.app).delete(`/api/v1/groups/${groupId}`).set(bearer(admin)).expect(204);

    expect((await request(product.app).get(`/api/v1/bills/${bill.id}`).set(bearer(member))).status).toBe(404);
    expect((await request(product.app).get('/api/v1/groups').set(bearer(member))).body.items).toEqual([]);
  });
});
