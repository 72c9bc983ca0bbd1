export { InboxMailer, readMessage } from './inbox-mailer';
export type { InboxMessage, MailMessage, Mailer } from './mailer.port';
export { SmtpMailer } from './smtp-mailer';
export { registerDevInboxRoutes } from './mail.routes';
