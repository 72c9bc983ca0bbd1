// Starts the built product as a separate process against a given database, as it runs in production.
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { freePort } from '../../scripts/lib/services.mts';

const root = path.resolve(import.meta.dirname, '../..');
export const APP_ROLE = 'spendcast_app';

export interface Product {
  url: string;
  /** The product's process, for CPU accounting (bench/lib/cpu.mts). */
  pid: number;
  stop(): Promise<void>;
}

export function databaseUrl(adminUrl: string, database: string, credentials?: { user: string; password: string }): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  if (credentials) {
    url.username = credentials.user;
    url.password = credentials.password;
  }
  return url.toString();
}

/** A fresh database plus the login role the product connects as (migrations grant it privileges). */
export async function createBenchDatabase(adminUrl: string, name: string): Promise<{ name: string; ownerUrl: string; appUrl: string }> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN CREATE ROLE ${APP_ROLE} LOGIN PASSWORD '${APP_ROLE}';
      ELSE ALTER ROLE ${APP_ROLE} LOGIN PASSWORD '${APP_ROLE}'; END IF; END $$`);
  } finally {
    await admin.end();
  }
  return { name, ownerUrl: databaseUrl(adminUrl, name), appUrl: databaseUrl(adminUrl, name, { user: APP_ROLE, password: APP_ROLE }) };
}

/** Production refuses to make up its own keys; a benchmark run brings a fresh pair. */
const productionKeys = {
  JWT_PRIVATE_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  SECRETS_KEY: randomBytes(32).toString('base64'),
};

export async function startProduct(env: Record<string, string>): Promise<Product> {
  const port = await freePort();
  // BENCH_PROFILE=<dir> writes a V8 CPU profile of the product (open it in Chrome DevTools) when it stops.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, path.join(root, 'backend/dist/main.js')], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', NODE_ENV: 'production', PORT: String(port), RATE_LIMIT_MAX: '100000000', LOGIN_RATE_LIMIT_PER_IP: '100000000', LOGIN_RATE_LIMIT_PER_ACCOUNT: '100000000', ...productionKeys, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (!(await fetch(`${url}/healthz`).then((response) => response.ok).catch(() => false))) {
    if (child.exitCode !== null) throw new Error(`the product exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('the product did not become healthy within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
