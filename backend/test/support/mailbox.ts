import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { readMessage, type InboxMessage } from '../../src/platform/mail';

/** Waits for a message to `to` in the test SMTP server's maildir (TEST_SMTP_MAILDIR). */
export async function receivedMail(to: string, timeoutMs = 10_000): Promise<InboxMessage> {
  const maildir = process.env.TEST_SMTP_MAILDIR;
  if (!maildir) throw new Error('TEST_SMTP_MAILDIR is not set: run the medium tests through npm test');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const name of (await readdir(maildir)).filter((file) => file.endsWith('.eml'))) {
      const message = await readMessage(path.join(maildir, name));
      if (message.to.includes(to)) return message;
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
