import type { ApiRouter } from '../../platform/http';
import { z } from '../../platform/openapi';
import { DeletionConfirmation, Onboarding, OnboardingResult, Profile, ProfileUpdate } from './users.schemas';
import type { UsersService } from './users.service';

export function registerUsersRoutes(api: ApiRouter, users: UsersService): void {
  api.route({
    method: 'get',
    path: '/api/v1/me',
    access: 'signed-in',
    summary: 'Your profile and settings',
    tags: ['me'],
    responses: { 200: { description: 'The profile.', schema: Profile } },
    handler: async ({ actor }) => ({ status: 200, body: await users.profile(actor.userId) }),
  });

  api.route({
    method: 'patch',
    path: '/api/v1/me',
    access: 'onboarded',
    summary: 'Change your profile or settings',
    tags: ['me'],
    body: ProfileUpdate,
    responses: { 200: { description: 'The changed profile.', schema: Profile }, 409: { description: 'USERNAME_TAKEN.' } },
    handler: async ({ actor, body }) => ({ status: 200, body: await users.update(actor.userId, body) }),
  });

  api.route({
    method: 'post',
    path: '/api/v1/me/onboarding',
    access: 'signed-in',
    summary: 'Finish onboarding: who you are and how you start (alone, joining a group, or creating one)',
    description: 'Afterwards refresh the tokens (POST /api/v1/auth/refresh): the new access token admits the onboarded routes.',
    tags: ['me'],
    body: Onboarding,
    responses: {
      201: { description: 'Onboarded.', schema: OnboardingResult },
      404: { description: 'INVITE_INVALID.' },
      409: { description: 'USERNAME_TAKEN, ALREADY_ONBOARDED, CATEGORY_NAME_TAKEN or ALREADY_MEMBER.' },
    },
    handler: async ({ actor, body }) => ({ status: 201, body: await users.onboard(actor.userId, body) }),
  });

  api.route({
    method: 'post',
    path: '/api/v1/me/deletion',
    access: 'signed-in',
    summary: 'Ask to delete your account: emails a confirmation link valid for 24 hours',
    tags: ['me'],
    responses: {
      202: { description: 'The link is on its way.', schema: z.object({ expiresAt: z.iso.datetime() }) },
      409: { description: 'SOLE_ADMIN_OF_GROUPS: hand the groups over or delete them first.' },
    },
    handler: async ({ actor }) => {
      const { expiresAt } = await users.requestDeletion(actor.userId);
      return { status: 202, body: { expiresAt: expiresAt.toISOString() } };
    },
  });

  api.route({
    method: 'post',
    path: '/api/v1/me/deletion/confirm',
    access: 'public',
    summary: 'Confirm an account deletion with the emailed token',
    description: 'Public: the emailed token is the proof. Deletes the account and signs it out everywhere.',
    tags: ['me'],
    body: DeletionConfirmation,
    responses: { 204: { description: 'Deleted.' }, 409: { description: 'SOLE_ADMIN_OF_GROUPS.' }, 410: { description: 'DELETION_LINK_INVALID.' } },
    handler: async ({ body }) => {
      await users.confirmDeletion(body.token);
      return { status: 204 };
    },
  });
}
