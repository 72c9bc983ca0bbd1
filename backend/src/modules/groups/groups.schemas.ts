import { z } from '../../platform/openapi';
import { currencyCode, timeZone } from '../../platform/validation';
import { GROUP_ROLES } from './groups.entity';

export const GroupSummary = z
  .object({
    id: z.uuid(),
    name: z.string(),
    baseCurrency: z.string(),
    membersSeeAllBills: z.boolean(),
    timeZone: z.string().openapi({ description: 'IANA time zone in which the group’s budget periods start and end.' }),
    role: z.enum(GROUP_ROLES),
    memberCount: z.number().int(),
  })
  .openapi('GroupSummary');

export const NewGroup = z
  .object({
    name: z.string().trim().min(1).max(80),
    baseCurrency: currencyCode,
    timeZone: timeZone.optional().openapi({ description: 'Defaults to your time zone setting.' }),
  })
  .strict()
  .openapi('NewGroup');

export const NewInvite = z
  .object({
    expiresInHours: z.number().int().min(1).max(24 * 30).default(72),
    maxUses: z.number().int().min(1).max(1000).optional(),
  })
  .strict()
  .openapi('NewInvite');

export const Invite = z
  .object({
    token: z.string().openapi({ description: 'Shown once: share it as a link; POST /api/v1/invites/{token}/accept joins.' }),
    expiresAt: z.iso.datetime(),
    maxUses: z.number().int().nullable(),
  })
  .openapi('Invite');

export const GroupChanges = z
  .object({
    name: z.string().trim().min(1).max(80),
    membersSeeAllBills: z.boolean().openapi({ description: 'Whether members see each other’s bills; otherwise their own and the group’s totals.' }),
    timeZone,
  })
  .partial()
  .strict()
  .openapi('GroupChanges');

export const Member = z
  .object({
    userId: z.uuid(),
    username: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    role: z.enum(GROUP_ROLES),
    joinedAt: z.iso.datetime(),
  })
  .openapi('Member');

export const RoleChange = z.object({ role: z.enum(GROUP_ROLES) }).strict().openapi('RoleChange');

export const InviteListing = z
  .object({ id: z.uuid(), expiresAt: z.iso.datetime(), maxUses: z.number().int().nullable(), uses: z.number().int(), revokedAt: z.iso.datetime().nullable(), createdAt: z.iso.datetime() })
  .openapi('InviteListing');
