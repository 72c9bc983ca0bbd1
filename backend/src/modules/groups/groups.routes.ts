import type { ApiRouter } from '../../platform/http';
import { z } from '../../platform/openapi';
import { GroupSummary, Invite, NewGroup, NewInvite } from './groups.schemas';
import type { GroupsService } from './groups.service';

export function registerGroupsRoutes(api: ApiRouter, groups: GroupsService): void {
  api.route({
    method: 'post',
    path: '/api/v1/groups',
    access: 'onboarded',
    summary: 'Create a group; you become its admin',
    tags: ['groups'],
    body: NewGroup,
    responses: { 201: { description: 'Created.', schema: GroupSummary } },
    handler: async ({ actor, body }) => ({ status: 201, body: await groups.create(actor.userId, body) }),
  });

  api.route({
    method: 'get',
    path: '/api/v1/groups',
    access: 'onboarded',
    summary: 'The groups you belong to',
    tags: ['groups'],
    responses: { 200: { description: 'Your groups.', schema: z.object({ items: z.array(GroupSummary) }) } },
    handler: async ({ actor }) => ({ status: 200, body: { items: await groups.listMine(actor.userId) } }),
  });

  api.route({
    method: 'post',
    path: '/api/v1/groups/:id/invites',
    access: 'onboarded',
    summary: 'Create an invitation link (admins)',
    tags: ['groups'],
    params: z.object({ id: z.uuid() }),
    body: NewInvite,
    responses: { 201: { description: 'The invitation; its token is shown only now.', schema: Invite } },
    handler: async ({ actor, params, body }) => {
      const invite = await groups.invite(actor.userId, params.id, body);
      return { status: 201, body: { ...invite, expiresAt: invite.expiresAt.toISOString() } };
    },
  });

  api.route({
    method: 'post',
    path: '/api/v1/invites/:token/accept',
    access: 'onboarded',
    summary: 'Join a group with an invitation token',
    tags: ['groups'],
    params: z.object({ token: z.string().min(1) }),
    responses: { 200: { description: 'Joined.', schema: GroupSummary }, 404: { description: 'INVITE_INVALID.' }, 409: { description: 'ALREADY_MEMBER.' } },
    handler: async ({ actor, params }) => ({ status: 200, body: await groups.accept(actor.userId, params.token) }),
  });
}
