import { z } from '../../platform/openapi';

const name = z.string().regex(/^[a-z][a-z_]{0,39}$/, 'must be a lower-case name such as bill');

const Filters = {
  action: z
    .string()
    .regex(/^[a-z][a-z_]{0,39}\.(created|updated|deleted)$/, 'must be an action such as bill.updated')
    .optional()
    .openapi({ example: 'bill.updated' }),
  targetType: name.optional().openapi({ example: 'bill' }),
  targetId: z.string().min(1).max(100).optional().openapi({ description: 'The changed row’s id (for memberships: the member’s user id).' }),
  from: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Entries at or after this instant.' }),
  to: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Entries before this instant.' }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(40).optional().openapi({ description: 'The `nextCursor` of the previous page.' }),
};

const ordered = (query: { from?: string; to?: string }) => !query.from || !query.to || new Date(query.from) < new Date(query.to);
const orderMessage = { message: '`from` must be before `to`', path: ['to'] };

export const MyAuditQuery = z.object(Filters).refine(ordered, orderMessage);

export const GroupAuditQuery = z
  .object({ ...Filters, actorId: z.uuid().optional().openapi({ description: 'Only what this member did.' }) })
  .refine(ordered, orderMessage);

export const GroupAuditParams = z.object({ id: z.uuid() });

export const AuditEntry = z
  .object({
    id: z.uuid(),
    occurredAt: z.iso.datetime(),
    actorId: z.uuid().nullable().openapi({ description: 'Who did it; null for the system or a deleted user.' }),
    groupId: z.uuid().nullable().openapi({ description: 'The group the change belongs to; null for personal data.' }),
    action: z.string().openapi({ example: 'bill.updated' }),
    targetType: z.string().openapi({ example: 'bill' }),
    targetId: z.string(),
    changes: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({
        description:
          'Created: `{ after: row }`; deleted: `{ before: row }`; updated: `{ field: { from, to } }` for each changed field. ' +
          'Secrets are never recorded; null when nothing is kept (e.g. data of a deleted account).',
      }),
    requestId: z.string().nullable().openapi({ description: 'The X-Request-Id of the request that made the change.' }),
  })
  .openapi('AuditEntry');

export const AuditPage = z
  .object({ items: z.array(AuditEntry), nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last.' }) })
  .openapi('AuditPage');
