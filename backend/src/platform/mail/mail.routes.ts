import { AppError, type ApiRouter } from '../http';
import { z } from '../openapi';
import type { InboxMailer } from './inbox-mailer';

const InboxMessage = z
  .object({ id: z.string(), to: z.string(), from: z.string(), subject: z.string(), text: z.string(), receivedAt: z.string() })
  .openapi('InboxMessage');

class DevInboxDisabled extends AppError {
  readonly code = 'DEV_INBOX_DISABLED';
  readonly status = 404;
  constructor() {
    super('The development inbox exists only without SMTP_URL and outside production.');
  }
}

/**
 * Development only: what the embedded mailer "sent", so emailed links can be followed without SMTP.
 * The route always exists (the API document does not depend on configuration) and answers 404 when disabled.
 */
export function registerDevInboxRoutes(api: ApiRouter, inbox: InboxMailer | undefined): void {
  api.route({
    method: 'get',
    access: 'public',
    path: '/api/dev/mail',
    summary: 'Messages in the development inbox, newest first',
    description: 'Present only when no SMTP server is configured and NODE_ENV is not production.',
    tags: ['development'],
    responses: { 200: { description: 'The inbox.', schema: z.object({ items: z.array(InboxMessage) }) } },
    handler: async () => {
      if (!inbox) throw new DevInboxDisabled();
      return { status: 200, body: { items: await inbox.list() } };
    },
  });
}
