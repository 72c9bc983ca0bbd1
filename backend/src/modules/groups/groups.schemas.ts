import { z } from '../../platform/openapi';
import { currencyCode } from '../../platform/validation';
import { GROUP_ROLES } from './groups.entity';

export const GroupSummary = z
  .object({
    id: z.uuid(),
    name: z.string(),
    baseCurrency: z.string(),
    membersSeeAllBills: z.boolean(),
    role: z.enum(GROUP_ROLES),
    memberCount: z.number().int(),
  })
  .openapi('GroupSummary');

export const NewGroup = z.object({ name: z.string().trim().min(1).max(80), baseCurrency: currencyCode }).strict().openapi('NewGroup');

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
