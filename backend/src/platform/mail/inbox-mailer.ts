import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { simpleParser, type AddressObject } from 'mailparser';
import type { InboxMessage, MailMessage, Mailer } from './mailer.port';

/**
 * The embedded default: each message is rendered exactly as SMTP would carry it and written to
 * `<directory>/<time>-<id>.eml`, where the development inbox (and any mail client) can read it.
 */
export class InboxMailer implements Mailer {
  private readonly renderer: Transporter;

  constructor(private readonly directory: string, private readonly from: string) {
    this.renderer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(message: MailMessage): Promise<void> {
    const rendered = await this.renderer.sendMail({ from: this.from, ...message });
    await mkdir(this.directory, { recursive: true });
    const name = `${new Date().toISOString().replaceAll(':', '-')}-${randomUUID()}.eml`;
    const temporary = path.join(this.directory, `.${name}.tmp`);
    await writeFile(temporary, rendered.message as Buffer);
    await rename(temporary, path.join(this.directory, name));
  }

  /** Newest first. */
  async list(): Promise<InboxMessage[]> {
    const names = await readdir(this.directory).catch(() => [] as string[]);
    const messages = names.filter((name) => name.endsWith('.eml')).sort().reverse();
    return Promise.all(messages.map((name) => readMessage(path.join(this.directory, name))));
  }

  async close(): Promise<void> {
    this.renderer.close();
  }
}

function addresses(field: AddressObject | AddressObject[] | undefined): string {
  return [field ?? []].flat().map((address) => address.text).join(', ');
}

export async function readMessage(file: string): Promise<InboxMessage> {
  const parsed = await simpleParser(await readFile(file));
  return {
    id: path.basename(file, '.eml'),
    to: addresses(parsed.to),
    from: addresses(parsed.from),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    receivedAt: (parsed.date ?? new Date()).toISOString(),
  };
}
