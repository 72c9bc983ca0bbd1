import request from 'supertest';
import { outboxEvents } from '../../support/events';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor, withClient } from '../../support/database';
import { bearer, given, PASSWORD } from '../../support/given';
import { receivedMail } from '../../support/mailbox';
import { createBill } from '../../support/spending';

describe(`account deletion by emailed link (${flavor})`, () => {
  let product: TestApp;

  beforeAll(async () => {
    // Real SMTP: the message goes through the test SMTP server, which files it in TEST_SMTP_MAILDIR.
    product = await startTestApp({ SMTP_URL: process.env.SMTP_URL!, PUBLIC_URL: 'https://spendcast.example.com' });
  });

  afterAll(() => product.close());

  const tokenFrom = (text: string) => {
    const link = /https:\/\/spendcast\.example\.com\/account\/delete\?token=(\S+)/.exec(text);
    if (!link) throw new Error(`no deletion link in:\n${text}`);
    return decodeURIComponent(link[1]!);
  };

  it('emails a link that deletes the account, its data and its sessions, once', async () => {
    const user = await given(product.app).user({ groupName: 'Solo group' });

    const requested = await request(product.app).post('/api/v1/me/deletion').set(bearer(user));
    const mail = await receivedMail(user.email);
    const token = tokenFrom(mail.text);
    const confirmed = await request(product.app).post('/api/v1/me/deletion/confirm').send({ token });
    const again = await request(product.app).post('/api/v1/me/deletion/confirm').send({ token });

    expect(requested.status).toBe(202);
    expect(new Date(requested.body.expiresAt).getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect(mail.subject).toBe('Confirm deleting your Spendcast account');
    expect(confirmed.status).toBe(204);
    expect(again.status).toBe(410);
    expect(again.body.code).toBe('DELETION_LINK_INVALID');
    expect((await request(product.app).post('/api/v1/auth/login').send({ email: user.email, password: PASSWORD })).status).toBe(401);
    expect((await request(product.app).post('/api/v1/auth/refresh').send({ refreshToken: user.refreshToken })).status).toBe(401);

    const left = await withClient(product.database.ownerUrl, async (client) => ({
      users: (await client.query('SELECT count(*)::int AS n FROM users WHERE id = $1', [user.id])).rows[0].n,
      tokens: (await client.query('SELECT count(*)::int AS n FROM refresh_tokens WHERE user_id = $1', [user.id])).rows[0].n,
      categories: (await client.query('SELECT count(*)::int AS n FROM categories WHERE user_id = $1', [user.id])).rows[0].n,
      soloGroups: (await client.query(`SELECT count(*)::int AS n FROM groups WHERE name = 'Solo group' AND created_by IS NULL`)).rows[0].n,
    }));
    const events = (await outboxEvents(product.database.ownerUrl, 'user.deleted')).filter((event) => event.scope_key === user.id);
    expect(left).toEqual({ users: 0, tokens: 0, categories: 0, soloGroups: 0 });
    expect(events).toEqual([{ scope_key: user.id, payload: { userId: user.id } }]);
  });

  it('refuses while the user is the only admin of a group with other members, and deletes nothing', async () => {
    const admin = await given(product.app).user({ groupName: 'Shared flat' });
    const [group] = (await request(product.app).get('/api/v1/groups').set(bearer(admin))).body.items;
    const invite = await request(product.app).post(`/api/v1/groups/${group.id}/invites`).set(bearer(admin)).send({});
    const member = await given(product.app).user();
    await request(product.app).post(`/api/v1/invites/${encodeURIComponent(invite.body.token)}/accept`).set(bearer(member)).expect(200);

    const response = await request(product.app).post('/api/v1/me/deletion').set(bearer(admin));

    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'SOLE_ADMIN_OF_GROUPS', groups: [{ id: group.id, name: 'Shared flat' }] });
    await request(product.app).get('/api/v1/me').set(bearer(admin)).expect(200);
  });

  it('retires the answers its groups cached: the spending shown as the member’s becomes a former member’s at once', async () => {
    const { admin, member, groupId } = await given(product.app).groupWithMember('Book club');
    await createBill(product.app, member, { amount: '20.00', groupId });
    const membersSpending = async () => {
      const response = await request(product.app).get('/api/v1/insights/spending').query({ groupId, memberId: member.id, interval: 'month' }).set(bearer(admin)).expect(200);
      return response.body.total.amount as string;
    };
    expect(await membersSpending()).toBe('20.00');

    await request(product.app).post('/api/v1/me/deletion').set(bearer(member)).expect(202);
    await request(product.app).post('/api/v1/me/deletion/confirm').send({ token: tokenFrom((await receivedMail(member.email)).text) }).expect(204);

    expect(await membersSpending()).toBe('0.00');
  });

  it('refuses a made-up or malformed token with 410 and a missing one with 400', async () => {
    const user = await given(product.app).user();

    expect((await request(product.app).post('/api/v1/me/deletion/confirm').send({ token: `${user.id}.${'x'.repeat(43)}` })).status).toBe(410);
    expect((await request(product.app).post('/api/v1/me/deletion/confirm').send({ token: 'nonsense' })).status).toBe(410);
    expect((await request(product.app).post('/api/v1/me/deletion/confirm').send({})).status).toBe(400);
    await request(product.app).get('/api/v1/me').set(bearer(user)).expect(200);
  });

  it('needs a token to ask for deletion', async () => {
    expect((await request(product.app).post('/api/v1/me/deletion')).status).toBe(401);
  });
});
