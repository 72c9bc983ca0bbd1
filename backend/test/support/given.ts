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

    /** New tokens after a change the access token must reflect (e.g. onboarding). */
    async refreshed(user: Pick<GivenUser, 'refreshToken'>): Promise<Pick<GivenUser, 'accessToken' | 'refreshToken'>> {
      const response = await request(app).post('/api/v1/auth/refresh').send({ refreshToken: user.refreshToken }).expect(200);
      return { accessToken: response.body.accessToken, refreshToken: response.body.refreshToken };
    },
  };
  return api;
}

export const bearer = (user: Pick<GivenUser, 'accessToken'>) => ({ Authorization: `Bearer ${user.accessToken}` });
