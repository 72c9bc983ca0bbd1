import type { ApiRouter } from '../../platform/http';
import { ValidationFailed } from '../../platform/http';
import { z } from '../../platform/openapi';
import { VersionRequired } from './bills.errors';
import { Bill, BillChanges, BillPage, BillQuery, NewBill } from './bills.schemas';
import type { BillsService } from './bills.service';

const BillId = z.object({ id: z.uuid() });
const etag = (version: number) => ({ ETag: `"${version}"` });

/** The version in `If-Match: "3"` (weak or strong); the header is required for changes. */
function expectedVersion(header: string | undefined): number {
  if (!header) throw new VersionRequired();
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  if (!match) throw new ValidationFailed([{ field: 'headers.if-match', message: 'must be the bill’s ETag, e.g. "3"' }]);
  return Number(match[1]);
}

function idempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!/^[\w.:-]{1,100}$/.test(header)) throw new ValidationFailed([{ field: 'headers.idempotency-key', message: 'must be 1–100 letters, digits, "-", "_", "." or ":"' }]);
  return header;
}

export function registerBillsRoutes(api: ApiRouter, bills: BillsService): void {
  api.route({
    method: 'post',
    path: '/api/v1/bills',
    access: 'onboarded',
    summary: 'Record a bill',
    description: 'With an `Idempotency-Key` header, retrying the same request within 24 hours returns the same bill; the same key with another body is refused (422).',
    tags: ['bills'],
    body: NewBill,
    responses: {
      201: { description: 'Recorded (or, for a retried Idempotency-Key, recorded before).', schema: Bill },
      404: { description: 'GROUP_NOT_FOUND.' },
      422: { description: 'INVALID_AMOUNT, EXCHANGE_RATE_REQUIRED, CATEGORY_NOT_USABLE, SPLIT_INVALID or IDEMPOTENCY_KEY_REUSED.' },
    },
    handler: async ({ actor, body, req }) => {
      const { bill, replayed } = await bills.create(actor.userId, body, idempotencyKey(req.get('Idempotency-Key')));
      return { status: 201, body: bill, headers: { ...etag(bill.version), Location: `/api/v1/bills/${bill.id}`, ...(replayed ? { 'Idempotent-Replayed': 'true' } : {}) } };
    },
  });

  api.route({
    method: 'get',
    path: '/api/v1/bills',
    access: 'onboarded',
    summary: 'List, filter, search and sort bills (keyset pages with an opaque cursor)',
    tags: ['bills'],
    query: BillQuery,
    responses: { 200: { description: 'One page and the totals of the filtered set.', schema: BillPage }, 404: { description: 'GROUP_NOT_FOUND.' } },
    handler: async ({ actor, query }) => ({ status: 200, body: await bills.list(actor.userId, query) }),
  });

  api.route({
    method: 'get',
    path: '/api/v1/bills/:id',
    access: 'onboarded',
    summary: 'One bill',
    tags: ['bills'],
    params: BillId,
    responses: { 200: { description: 'The bill; its ETag is its version.', schema: Bill }, 404: { description: 'BILL_NOT_FOUND.' } },
    handler: async ({ actor, params }) => {
      const bill = await bills.get(actor.userId, params.id);
      return { status: 200, body: bill, headers: etag(bill.version) };
    },
  });

  api.route({
    method: 'patch',
    path: '/api/v1/bills/:id',
    access: 'onboarded',
    summary: 'Change a bill (needs If-Match with its version)',
    tags: ['bills'],
    params: BillId,
    body: BillChanges,
    responses: {
      200: { description: 'The changed bill.', schema: Bill },
      403: { description: 'BILL_CHANGE_NOT_ALLOWED.' },
      404: { description: 'BILL_NOT_FOUND.' },
      412: { description: 'VERSION_MISMATCH: someone changed it meanwhile.' },
      428: { description: 'VERSION_REQUIRED.' },
    },
    handler: async ({ actor, params, body, req }) => {
      const bill = await bills.update(actor.userId, params.id, expectedVersion(req.get('If-Match')), body);
      return { status: 200, body: bill, headers: etag(bill.version) };
    },
  });

  api.route({
    method: 'delete',
    path: '/api/v1/bills/:id',
    access: 'onboarded',
    summary: 'Delete a bill',
    tags: ['bills'],
    params: BillId,
    responses: { 204: { description: 'Deleted.' }, 403: { description: 'BILL_CHANGE_NOT_ALLOWED.' }, 404: { description: 'BILL_NOT_FOUND.' } },
    handler: async ({ actor, params }) => {
      await bills.delete(actor.userId, params.id);
      return { status: 204 };
    },
  });
}
