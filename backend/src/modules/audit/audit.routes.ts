import type { ApiRouter } from '../../platform/http';
import { AuditPage, GroupAuditParams, GroupAuditQuery, MyAuditQuery } from './audit.schemas';
import type { AuditService } from './audit.service';

export function registerAuditRoutes(api: ApiRouter, audit: AuditService): void {
  api.route({
    method: 'get',
    path: '/api/v1/me/audit',
    access: 'onboarded',
    summary: 'What you changed, newest first (keyset pages with an opaque cursor)',
    tags: ['audit'],
    query: MyAuditQuery,
    responses: { 200: { description: 'One page of your actions.', schema: AuditPage } },
    handler: async ({ actor, query }) => ({ status: 200, body: await audit.listMine(actor.userId, query) }),
  });

  api.route({
    method: 'get',
    path: '/api/v1/groups/:id/audit',
    access: 'onboarded',
    summary: 'What changed in a group, newest first (admins)',
    tags: ['audit'],
    params: GroupAuditParams,
    query: GroupAuditQuery,
    responses: {
      200: { description: 'One page of the group’s log.', schema: AuditPage },
      403: { description: 'NOT_GROUP_ADMIN (members who are not admins) or ONBOARDING_REQUIRED.' },
      404: { description: 'GROUP_NOT_FOUND.' },
    },
    handler: async ({ actor, params, query }) => ({ status: 200, body: await audit.listGroup(actor.userId, params.id, query) }),
  });
}
