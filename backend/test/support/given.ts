import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';

export interface GivenUser {
  id: string;
  email: string;
  password: string;
  username?: string;
  accessToken: string;
  refreshToken: string;
}

export const PASSWORD = 'correct horse battery staple';

/** Small factories that build state through the public API, as a client would. */
export function given(app: Express) {
  const api = {
    /** A registered account; onboarded (single, or creating a group) unless told otherwise. */
    async user(options: { onboarded?: boolean; groupName?: string; email?: string } = {}): Promise<GivenUser> {
      const email = options.email ?? `user-${randomUUID()}@example.com`;
      const registered = await request(app).post('/api/v1/auth/register').send({ email, password: PASSWORD }).expect(201);
      const me = await request(app).get('/api/v1/me').set('Authorization', `Bearer ${registered.body.accessToken}`).expect(200);
      const user: GivenUser = { id: me.body.id, email, password: PASSWORD, accessToken: registered.body.accessToken, refreshToken: registered.body.refreshToken };
      if (options.onboarded === false) return user;
      const username = `u_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
      const start = options.groupName ? { mode: 'create', groupName: options.groupName, baseCurrency: 'EUR' } : { mode: 'single' };
      await request(app)
        .post('/api/v1/me/onboarding')
        .set('Authorization', `Bearer ${user.accessToken}`)
        .send({ username, firstName: 'Test', lastName: 'User', birthday: '1990-05-17', start })
        .expect(201);
      return { ...user, username, ...(await api.refreshed(user)) };
    },

    /** The id of the (first) group the user belongs to. */
    async groupOf(user: GivenUser): Promise<string> {
      const groups = await request(app).get('/api/v1/groups').set(bearer(user)).expect(200);
      return groups.body.items[0].id;
    },

    /** A new onboarded user who joined the admin's group through an invite. */
    async member(admin: GivenUser, groupId: string): Promise<GivenUser> {
      const invite = await request(app).post(`/api/v1/groups/${groupId}/invites`).set(bearer(admin)).send({}).expect(201);
      const user = await api.user();
      await request(app).post(`/api/v1/invites/${encodeURIComponent(invite.body.token)}/accept`).set(bearer(user)).expect(200);
      return user;
    },

    /** An admin who created the group on onboarding, and a member who joined it through an invite. */
    async groupWithMember(groupName: string): Promise<{ admin: GivenUser; member: GivenUser; groupId: string }> {
      const admin = await api.user({ groupName });
      const groupId = await api.groupOf(admin);
      return { admin, member: await api.member(admin, groupId), groupId };
    },

    /** A bill recorded through the API; defaults fill what the test does not care about. */
    async bill(user: GivenUser, fields: Record<string, unknown> = {}): Promise<{ id: string; version: number; groupId: string | null; [field: string]: unknown }> {
      const response = await request(app)
        .post('/api/v1/bills')
        .set(bearer(user))
        .send({ title: 'Groceries', amount: '10.00', spentAt: '2026-11-20T10:00:00Z', ...fields })
        .expect(201);
      return response.body;
    },

    /** New tokens after a change the access token must reflect (e.g. onboarding). */
    async refreshed(user: Pick<GivenUser, 'refreshToken'>): Promise<Pick<GivenUser, 'accessToken' | 'refreshToken'>> {
      const response = await request(app).post('/api/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
      return { accessToken: response.body.accessToken, refreshToken: response.body.refreshToken };
    },
  };
  return api;
}

export const bearer = (user: Pick<GivenUser, 'accessToken'>) => ({ Authorization: `Bearer ${user.accessToken}` });
