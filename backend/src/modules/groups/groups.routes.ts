import type { ApiRouter } from '../../platform/http';
import { z } from '../../platform/openapi';
import { GroupChanges, GroupSummary, Invite, InviteListing, Member, NewGroup, NewInvite, RoleChange } from './groups.schemas';
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

  const GroupId = z.object({ id: z.uuid() });
  const MemberPath = z.object({ id: z.uuid(), userId: z.uuid() });
  const member = <T extends { joinedAt: Date }>(value: T) => ({ ...value, joinedAt: value.joinedAt.toISOString() });

  api.route({
    method: 'get',
    path: '/api/v1/groups/:id',
    access: 'onboarded',
    summary: 'A group you belong to',
    tags: ['groups'],
    params: GroupId,
    responses: { 200: { description: 'The group and your role.', schema: GroupSummary }, 404: { description: 'GROUP_NOT_FOUND.' } },
    handler: async ({ actor, params }) => ({ status: 200, body: await groups.get(actor.userId, params.id) }),
  });

  api.route({
    method: 'patch',
    path: '/api/v1/groups/:id',
    access: 'onboarded',
    summary: 'Rename the group or change whether members see each other’s bills (admins)',
    tags: ['groups'],
    params: GroupId,
    body: GroupChanges,
    responses: { 200: { description: 'Changed.', schema: GroupSummary }, 403: { description: 'NOT_GROUP_ADMIN.' }, 404: { description: 'GROUP_NOT_FOUND.' } },
    handler: async ({ actor, params, body }) => ({ status: 200, body: await groups.update(actor.userId, params.id, body) }),
  });

  api.route({
    method: 'delete',
    path: '/api/v1/groups/:id',
    access: 'onboarded',
    summary: 'Delete the group with its bills (admins)',
    tags: ['groups'],
    params: GroupId,
    responses: { 204: { description: 'Deleted.' }, 403: { description: 'NOT_GROUP_ADMIN.' }, 404: { description: 'GROUP_NOT_FOUND.' } },
    handler: async ({ actor, params }) => {
      await groups.delete(actor.userId, params.id);
      return { status: 204 };
    },
  });

  api.route({
    method: 'get',
    path: '/api/v1/groups/:id/members',
    access: 'onboarded',
    summary: 'The group’s members and their roles',
    tags: ['groups'],
    params: GroupId,
    responses: { 200: { description: 'Members, oldest first.', schema: z.object({ items: z.array(Member) }) }, 404: { description: 'GROUP_NOT_FOUND.' } },
    handler: async ({ actor, params }) => ({ status: 200, body: { items: (await groups.members(actor.userId, params.id)).map(member) } }),
  });

  api.route({
    method: 'patch',
    path: '/api/v1/groups/:id/members/:userId',
    access: 'onboarded',
    summary: 'Make a member admin or member (admins); a group always keeps one admin',
    tags: ['groups'],
    params: MemberPath,
    body: RoleChange,
    responses: { 200: { description: 'Changed.', schema: Member }, 403: { description: 'NOT_GROUP_ADMIN.' }, 409: { description: 'LAST_ADMIN.' } },
    handler: async ({ actor, params, body }) => ({ status: 200, body: member(await groups.changeRole(actor.userId, params.id, params.userId, body.role)) }),
  });

  api.route({
    method: 'delete',
    path: '/api/v1/groups/:id/members/:userId',
    access: 'onboarded',
    summary: 'Remove a member (admins), or leave the group (your own user id)',
    tags: ['groups'],
    params: MemberPath,
    responses: { 204: { description: 'Removed.' }, 403: { description: 'NOT_GROUP_ADMIN.' }, 409: { description: 'LAST_ADMIN.' } },
    handler: async ({ actor, params }) => {
      await groups.removeMember(actor.userId, params.id, params.userId);
      return { status: 204 };
    },
  });

  api.route({
    method: 'get',
    path: '/api/v1/groups/:id/invites',
    access: 'onboarded',
    summary: 'The group’s invitations (admins)',
    tags: ['groups'],
    params: GroupId,
    responses: { 200: { description: 'Newest first; tokens are never shown again.', schema: z.object({ items: z.array(InviteListing) }) } },
    handler: async ({ actor, params }) => ({
      status: 200,
      body: {
        items: (await groups.invites(actor.userId, params.id)).map((invite) => ({
          ...invite,
          expiresAt: invite.expiresAt.toISOString(),
          createdAt: invite.createdAt.toISOString(),
          revokedAt: invite.revokedAt?.toISOString() ?? null,
        })),
      },
    }),
  });

  api.route({
    method: 'delete',
    path: '/api/v1/groups/:id/invites/:inviteId',
    access: 'onboarded',
    summary: 'Revoke an invitation (admins)',
    tags: ['groups'],
    params: z.object({ id: z.uuid(), inviteId: z.uuid() }),
    responses: { 204: { description: 'Revoked; the link stops working.' }, 404: { description: 'INVITE_NOT_FOUND.' } },
    handler: async ({ actor, params }) => {
      await groups.revokeInvite(actor.userId, params.id, params.inviteId);
      return { status: 204 };
    },
  });
}
