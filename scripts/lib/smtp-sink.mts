// A real SMTP server (the smtp-server library) that files every accepted message as an .eml file,
// so tests can read what was delivered. Usage: smtp-sink.mts <port> <maildir>
import { randomUUID } from 'node:crypto';
import { writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

const [port, maildir] = process.argv.slice(2);
if (!port || !maildir) throw new Error('usage: smtp-sink.mts <port> <maildir>');

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const name = `${Date.now()}-${randomUUID()}.eml`;
      const temporary = path.join(maildir, `.${name}`);
      writeFileSync(temporary, Buffer.concat(chunks));
      renameSync(temporary, path.join(maildir, name));
      callback();
    });
  },
});
server.listen(Number(port), '127.0.0.1');
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
