export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}

/** A delivered message as the development inbox lists it. */
export interface InboxMessage {
  id: string;
  to: string;
  from: string;
  subject: string;
  text: string;
  receivedAt: string;
}
