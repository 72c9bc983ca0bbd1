import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../../src/platform/net';

const MAIN = path.resolve(__dirname, '../../../dist/main.js');

interface Started {
  child: ChildProcess;
  output: () => string;
  /** The exit code, or the signal that ended the process without one. */
  exited: Promise<number | NodeJS.Signals | null>;
}

/** Starts the built product the way `npm start` does, with exactly the given environment. */
function startProduct(env: Record<string, string>): Started {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: build the backend first (npm test does)`);
  const child = spawn(process.execPath, [MAIN], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  return { child, output: () => output, exited };
}

/**
 * Resolves the moment the output contains `text`, as a supervisor reading the log would act on it: a test that
 * polled would leave the product time to finish what it does right after writing the line.
 */
function waitForLog(started: Started, text: string, timeoutMs = 30_000): Promise<void> {
  const { child } = started;
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.off('exit', exitedEarly);
      if (error) reject(error);
      else resolve();
    };
    const check = () => {
      if (started.output().includes(text)) settle();
    };
    const exitedEarly = (code: number | null, signal: NodeJS.Signals | null) =>
      settle(new Error(`exited with ${code ?? signal} before "${text}":\n${started.output()}`));
    const timer = setTimeout(() => settle(new Error(`no "${text}" within ${timeoutMs} ms:\n${started.output()}`)), timeoutMs);
    // Registered after startProduct's listener, so the output already holds the chunk being checked.
    child.stdout?.on('data', check);
    child.on('exit', exitedEarly);
    check();
  });
}

describe('starting the product', () => {
  it('refuses a bad variable with exit code 78 and a message naming it', async () => {
    const started = startProduct({ PORT: 'eighty', DATABASE_URL: 'not a url' });

    expect(await started.exited).toBe(78);
    expect(started.output()).toMatch(/PORT: /);
    expect(started.output()).toMatch(/DATABASE_URL: /);
  });

  it('runs on embedded defaults, serves health and the API docs, stops cleanly on signals and keeps its data', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'spendcast-start-'));
    const port = await freePort();
    const env = { DATA_DIR: dataDir, PORT: String(port) };
    const base = `http://127.0.0.1:${port}`;
    try {
      const first = startProduct(env);
      await waitForLog(first, 'Spendcast is ready');
      expect(first.output()).toContain(path.join(dataDir, 'pglite'));
      expect(first.output()).toContain('applied database migrations');

      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const document = (await (await fetch(`${base}/api/openapi.json`)).json()) as { openapi: string };
      expect(document.openapi).toBe('3.1.0');
      const docs = await fetch(`${base}/api/docs/`);
      expect(docs.status).toBe(200);
      expect(await docs.text()).toContain('swagger-ui');

      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);
      expect(first.output()).toContain('"msg":"stopped"');

      const second = startProduct(env);
      await waitForLog(second, 'Spendcast is ready');
      // The schema is already there: the database survived the restart.
      expect(second.output()).not.toContain('applied database migrations');
      // Stopped the moment it says it is ready, and signalled again while it drains (Ctrl-C reaches it from the
      // terminal and from `npm start`): still a clean stop.
      second.child.kill('SIGTERM');
      await waitForLog(second, 'shutting down');
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
      expect(second.output()).toContain('"msg":"stopped"');
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
