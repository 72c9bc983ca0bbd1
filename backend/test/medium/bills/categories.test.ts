import request from 'supertest';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor } from '../../support/database';
import { bearer, given, type GivenUser } from '../../support/given';

describe(`categories (${flavor})`, () => {
  let product: TestApp;
  let admin: GivenUser;
  let member: GivenUser;
  let groupId: string;

  beforeAll(async () => {
    product = await startTestApp({ RATE_LIMIT_MAX: '100000' });
    ({ admin, member, groupId } = await given(product.app).groupWithMember('Household'));
  });

  afterAll(() => product.close());

  const create = (user: GivenUser, body: object) => request(product.app).post('/api/v1/categories').set(bearer(user)).send(body);

  it('gives a new group the default categories', async () => {
    const response = await request(product.app).get('/api/v1/categories').set(bearer(member)).query({ groupId });

    expect(response.body.items).toHaveLength(12);
    expect(response.body.items.every((category: { groupId: string }) => category.groupId === groupId)).toBe(true);
  });

  it('adds personal categories with unique names ignoring case', async () => {
    const first = await create(member, { name: 'Pets', color: '#ff9800', icon: 'paw-outline' });
    const again = await create(member, { name: 'PETS' });

    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ name: 'Pets', color: '#ff9800', userId: member.id, groupId: null });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CATEGORY_NAME_TAKEN');
  });

  it('lets only admins add group categories and hides the group from strangers', async () => {
    const stranger = await given(product.app).user();

    expect((await create(admin, { name: 'Garden', groupId })).status).toBe(201);
    expect((await create(member, { name: 'Garage', groupId })).body.code).toBe('CATEGORY_CHANGE_NOT_ALLOWED');
    expect((await create(stranger, { name: 'Garage', groupId })).status).toBe(404);
  });

  it('renames and recolours a category', async () => {
    const category = (await create(member, { name: 'Hobby' })).body;

    const changed = await request(product.app).patch(`/api/v1/categories/${category.id}`).set(bearer(member)).send({ name: 'Hobbies', color: '#123456' });

    expect(changed.body).toMatchObject({ name: 'Hobbies', color: '#123456' });
  });

  it('asks where the bills go before deleting a category in use, then moves them', async () => {
    const from = (await create(member, { name: 'Old' })).body;
    const to = (await create(member, { name: 'New' })).body;
    const bill = await given(product.app).bill(member, { categoryId: from.id });

    const refused = await request(product.app).delete(`/api/v1/categories/${from.id}`).set(bearer(member));
    const moved = await request(product.app).delete(`/api/v1/categories/${from.id}`).set(bearer(member)).query({ moveTo: to.id });
    const after = await request(product.app).get(`/api/v1/bills/${bill.id}`).set(bearer(member));

    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'CATEGORY_IN_USE', billCount: 1 });
    expect(moved.status).toBe(204);
    expect(after.body.categoryId).toBe(to.id);
  });

  it('refuses to move bills into a category of another scope', async () => {
    const personal = (await create(admin, { name: 'Mine' })).body;
    const groupCategory = (await create(admin, { name: 'Shared', groupId })).body;
    await given(product.app).bill(admin, { categoryId: personal.id });

    const response = await request(product.app).delete(`/api/v1/categories/${personal.id}`).set(bearer(admin)).query({ moveTo: groupCategory.id });

    expect(response.status).toBe(422);
    expect(response.body.code).toBe('CATEGORY_MOVE_TARGET_INVALID');
  });

  it('shows moved bills under their new category in the (cached) spending summary', async () => {
    const from = (await create(member, { name: 'Before move' })).body;
    const to = (await create(member, { name: 'After move' })).body;
    await given(product.app).bill(member, { categoryId: from.id, amount: '42.00', spentAt: '2026-11-20T10:00:00Z' });
    const summary = () => request(product.app).get('/api/v1/insights/summary').set(bearer(member)).query({ from: '2026-11-01', to: '2026-11-30' });
    const amountOf = (body: { byCategory: Array<{ categoryId: string; amount: string }> }, id: string) => body.byCategory.find((row) => row.categoryId === id)?.amount;
    expect(amountOf((await summary()).body, from.id)).toBe('42.00');

    await request(product.app).delete(`/api/v1/categories/${from.id}`).set(bearer(member)).query({ moveTo: to.id }).expect(204);

    const after = (await summary()).body;
    expect(amountOf(after, from.id)).toBeUndefined();
    expect(amountOf(after, to.id)).toBe('42.00');
  });

  it('leaves bills uncategorised with moveTo=none', async () => {
    const category = (await create(member, { name: 'Temporary' })).body;
    const bill = await given(product.app).bill(member, { categoryId: category.id });

    await request(product.app).delete(`/api/v1/categories/${category.id}`).set(bearer(member)).query({ moveTo: 'none' }).expect(204);

    expect((await request(product.app).get(`/api/v1/bills/${bill.id}`).set(bearer(member))).body.categoryId).toBeNull();
  });

  it('answers 400 for bad colours and unknown fields', async () => {
    const response = await create(member, { name: 'X', color: 'red', owner: 'me' });
    expect(response.status).toBe(400);
  });
});
