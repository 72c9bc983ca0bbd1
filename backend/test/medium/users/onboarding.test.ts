import request from 'supertest';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor } from '../../support/database';
import { bearer, given } from '../../support/given';

const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

describe(`onboarding (${flavor})`, () => {
  let product: TestApp;

  beforeAll(async () => {
    product = await startTestApp();
  });

  afterAll(() => product.close());

  const onboard = (token: { accessToken: string }, body: object) => request(product.app).post('/api/v1/me/onboarding').set(bearer(token)).send(body);
  const person = (username: string) => ({ username, firstName: 'Grace', lastName: 'Hopper', birthday: '1986-12-09' });

  it('says ONBOARDING_REQUIRED to a new account on product routes, but lets it read its profile', async () => {
    const user = await given(product.app).user({ onboarded: false });

    const categories = await request(product.app).get('/api/v1/categories').set(bearer(user));
    const me = await request(product.app).get('/api/v1/me').set(bearer(user));

    expect(categories.status).toBe(403);
    expect(categories.body.code).toBe('ONBOARDING_REQUIRED');
    expect(me.status).toBe(200);
    expect(me.body.onboarded).toBe(false);
  });

  it('onboards a single user with extra categories on top of the defaults and derives the age', async () => {
    const user = await given(product.app).user({ onboarded: false });

    const response = await onboard(user, { ...person(`grace_${user.id.slice(0, 8)}`), start: { mode: 'single' }, extraCategories: [{ name: 'Pets', color: '#ff9800' }] });
    const refreshed = await given(product.app).refreshed(user);
    const categories = await request(product.app).get('/api/v1/categories').set(bearer(refreshed)).expect(200);

    expect(response.status).toBe(201);
    expect(response.body.groupId).toBeNull();
    expect(response.body.profile).toMatchObject({ firstName: 'Grace', birthday: '1986-12-09', onboarded: true });
    expect(response.body.profile.age).toBeGreaterThanOrEqual(39);
    const names = categories.body.items.map((category: { name: string }) => category.name);
    expect(names).toEqual(expect.arrayContaining(['Groceries', 'Housing', 'Transport', 'Other', 'Pets']));
    expect(names).toHaveLength(13);
  });

  it('creates a group with the user as its admin', async () => {
    const user = await given(product.app).user({ onboarded: false });

    const response = await onboard(user, { ...person(`gh_${user.id.slice(0, 8)}`), start: { mode: 'create', groupName: 'Hopper household', baseCurrency: 'USD' } });
    const groups = await request(product.app).get('/api/v1/groups').set(bearer(await given(product.app).refreshed(user))).expect(200);

    expect(response.status).toBe(201);
    expect(groups.body.items).toEqual([expect.objectContaining({ id: response.body.groupId, name: 'Hopper household', baseCurrency: 'USD', role: 'admin', memberCount: 1 })]);
  });

  it('joins a group with an invite token as a member', async () => {
    const admin = await given(product.app).user({ groupName: 'Team' });
    const [group] = (await request(product.app).get('/api/v1/groups').set(bearer(admin))).body.items;
    const invite = await request(product.app).post(`/api/v1/groups/${group.id}/invites`).set(bearer(admin)).send({ expiresInHours: 1, maxUses: 1 }).expect(201);
    const joiner = await given(product.app).user({ onboarded: false });

    const response = await onboard(joiner, { ...person(`joiner_${joiner.id.slice(0, 8)}`), start: { mode: 'join', inviteToken: invite.body.token } });
    const latecomer = await given(product.app).user({ onboarded: false });
    const usedUp = await onboard(latecomer, { ...person(`late_${latecomer.id.slice(0, 8)}`), start: { mode: 'join', inviteToken: invite.body.token } });

    expect(response.status).toBe(201);
    expect(response.body.groupId).toBe(group.id);
    const groups = await request(product.app).get('/api/v1/groups').set(bearer(admin));
    expect(groups.body.items[0]).toMatchObject({ memberCount: 2 });
    expect(usedUp.status).toBe(404);
    expect(usedUp.body.code).toBe('INVITE_INVALID');
    const stillNew = await request(product.app).get('/api/v1/me').set(bearer(latecomer));
    expect(stillNew.body.onboarded).toBe(false);
  });

  it('refuses a username another user has in any letter case, with 409 USERNAME_TAKEN', async () => {
    const first = await given(product.app).user({ onboarded: false });
    const second = await given(product.app).user({ onboarded: false });
    const name = `Ada_${first.id.slice(0, 8)}`;
    await onboard(first, { ...person(name), start: { mode: 'single' } }).expect(201);

    const response = await onboard(second, { ...person(name.toUpperCase()), start: { mode: 'single' } });

    expect(response.status).toBe(409);
    expect(response.body.code).toBe('USERNAME_TAKEN');
  });

  it('refuses a birthday in the future and a malformed username, naming both fields', async () => {
    const user = await given(product.app).user({ onboarded: false });

    const response = await onboard(user, { ...person('no spaces allowed'), birthday: tomorrow(), start: { mode: 'single' } });

    expect(response.status).toBe(400);
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual(['body.birthday', 'body.username']);
  });

  it('refuses to onboard twice', async () => {
    const user = await given(product.app).user();

    const response = await onboard(user, { ...person(`again_${user.id.slice(0, 8)}`), start: { mode: 'single' } });

    expect(response.status).toBe(409);
    expect(response.body.code).toBe('ALREADY_ONBOARDED');
  });

  it('needs a token', async () => {
    expect((await request(product.app).post('/api/v1/me/onboarding').send({})).status).toBe(401);
  });
});
