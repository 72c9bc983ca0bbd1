import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { InboxMailer, SmtpMailer, readMessage, type InboxMessage, type Mailer } from '../../../src/platform/mail';

const FROM = 'Spendcast <no-reply@spendcast.local>';
const runId = randomBytes(6).toString('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** mailparser renders a display name quoted (`"Spendcast" <a@b>`); both forms name the same sender. */
const withoutQuotedName = (address: string) => address.replace(/^"([^"]*)" </, '$1 <');

interface Subject {
  mailer: Mailer;
  /**
   * The delivered message addressed to `address`, or undefined when it never arrived. Absent when
   * delivery cannot be observed (an external SMTP server without a maildir).
   */
  deliveredTo?: (address: string) => Promise<InboxMessage | undefined>;
  close(): Promise<void>;
}

/** The test SMTP sink files each accepted message as `<ms>-<uuid>.eml` (dot-prefixed while it is written). */
async function findInMaildir(maildir: string, address: string, timeoutMs = 5_000): Promise<InboxMessage | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const names = (await readdir(maildir)).filter((name) => name.endsWith('.eml') && !name.startsWith('.'));
    // Newest first: the message just sent is almost always the first one read.
    for (const name of names.sort().reverse()) {
      const message = await readMessage(path.join(maildir, name));
      if (message.to === address) return message;
    }
    if (Date.now() > deadline) return undefined;
    await sleep(100);
  }
}

describe.each<{ name: string; open: () => Promise<Subject> }>([
  {
    name: 'SmtpMailer',
    open: async () => {
      const mailer = new SmtpMailer(process.env.SMTP_URL!, FROM);
      const maildir = process.env.TEST_SMTP_MAILDIR;
      return {
        mailer,
        deliveredTo: maildir ? (address) => findInMaildir(maildir, address) : undefined,
        close: () => mailer.close(),
      };
    },
  },
  {
    name: 'InboxMailer',
    open: async () => {
      const directory = await mkdtemp(path.join(os.tmpdir(), 'spendcast-inbox-contract-'));
      const mailer = new InboxMailer(directory, FROM);
      return {
        mailer,
        deliveredTo: async (address) => (await mailer.list()).find((message) => message.to === address),
        close: async () => {
          await mailer.close();
          await rm(directory, { recursive: true, force: true });
        },
      };
    },
  },
])('Mailer contract: $name', ({ open }) => {
  let subject: Subject;
  let recipient: string;

  beforeAll(async () => {
    subject = await open();
  });

  afterAll(async () => {
    await subject.close();
  });

  beforeEach(() => {
    // A recipient of this test alone, so messages of other tests and runs are never mistaken for it.
    recipient = `contract-${runId}-${randomBytes(4).toString('hex')}@example.com`;
  });

  /** Sends, then returns what arrived, or undefined after asserting only that sending succeeded. */
  async function sendAndReceive(message: { subject: string; text: string; html?: string }): Promise<InboxMessage | undefined> {
    await expect(subject.mailer.send({ to: recipient, ...message })).resolves.toBeUndefined();
    if (!subject.deliveredTo) return undefined; // an external SMTP server: delivery is out of sight
    const delivered = await subject.deliveredTo(recipient);
    expect(delivered).toBeDefined();
    return delivered;
  }

  it('delivers the recipient, subject, text and configured sender when a plain message is sent', async () => {
    const sentAt = Date.now();

    const delivered = await sendAndReceive({ subject: 'Your monthly forecast', text: 'Hello!\nYour forecast is ready.' });

    if (delivered) {
      expect(delivered.to).toBe(recipient);
      expect(withoutQuotedName(delivered.from)).toBe(FROM);
      expect(delivered.subject).toBe('Your monthly forecast');
      expect(delivered.text.trimEnd()).toBe('Hello!\nYour forecast is ready.');
      expect(Math.abs(Date.parse(delivered.receivedAt) - sentAt)).toBeLessThan(60_000);
    }
  });

  it('keeps a non-ASCII subject and a multi-line non-ASCII body intact', async () => {
    const text = [
      'Grüezi Zoë,',
      '',
      'Bitte bestätige deine Adresse innert 24 h – danach verfällt der Link.',
      `Betrag: 12,50 € · 日本語 · ${'lange Zeile '.repeat(12).trim()}`,
      '',
      '-- ',
      'Spendcast',
    ].join('\n');

    const delivered = await sendAndReceive({ subject: 'Bestätigung – 24 h', text });

    if (delivered) {
      expect(delivered.to).toBe(recipient);
      expect(withoutQuotedName(delivered.from)).toBe(FROM);
      expect(delivered.subject).toBe('Bestätigung – 24 h');
      expect(delivered.text.trimEnd()).toBe(text.trimEnd());
    }
  });

  it('delivers the text part when the message also has an HTML part', async () => {
    const delivered = await sendAndReceive({ subject: 'Both parts', text: 'Plain version', html: '<p>HTML <b>version</b></p>' });

    if (delivered) {
      expect(delivered.subject).toBe('Both parts');
      expect(delivered.text.trimEnd()).toBe('Plain version');
    }
  });

  it('delivers each message to its own recipient when several are sent', async () => {
    const other = `other-${recipient}`;
    await subject.mailer.send({ to: other, subject: 'For the other one', text: 'Not yours' });

    const delivered = await sendAndReceive({ subject: 'For this one', text: 'Yours' });

    if (delivered && subject.deliveredTo) {
      expect(delivered.subject).toBe('For this one');
      expect((await subject.deliveredTo(other))?.subject).toBe('For the other one');
    }
  });
});
