// The set of real servers a test or benchmark run needs. Each comes from, in order: a variable the
// caller set (DATABASE_URL, REDIS_URL, S3_ENDPOINT, KAFKA_BROKERS, SMTP_URL), a server
// `npm run services up` left running, or a fresh one this run starts and stops.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureKafka } from './kafka.mts';
import { isAlive, provision, stopService, type ServiceHandle } from './services.mts';
import { cacheDir, log } from './util.mts';

const stateFile = path.join(cacheDir(), 'services.json');

export interface Stack {
  env: Record<string, string>;
  /** Stops the servers this run started; reused and external ones keep running. */
  stop(): Promise<void>;
}

export async function readKeptServices(): Promise<ServiceHandle[]> {
  if (!existsSync(stateFile)) return [];
  const handles = JSON.parse(readFileSync(stateFile, 'utf8')) as ServiceHandle[];
  const alive = await Promise.all(handles.map(isAlive));
  return handles.filter((_, index) => alive[index]);
}

export function writeKeptServices(handles: ServiceHandle[]): void {
  if (handles.length === 0) rmSync(stateFile, { force: true });
  else writeFileSync(stateFile, JSON.stringify(handles, null, 2));
}

function external(): Record<string, Record<string, string>> {
  const env = process.env;
  const found: Record<string, Record<string, string>> = {};
  if (env.DATABASE_URL) found.postgres = { TEST_PG_ADMIN_URL: env.DATABASE_URL };
  if (env.REDIS_URL) found.redis = { REDIS_URL: env.REDIS_URL };
  if (env.S3_ENDPOINT) found.minio = { S3_ENDPOINT: env.S3_ENDPOINT, S3_ACCESS_KEY: env.S3_ACCESS_KEY ?? '', S3_SECRET_KEY: env.S3_SECRET_KEY ?? '' };
  // Fault tests still start brokers of their own, from the cached jars.
  if (env.KAFKA_BROKERS) found.kafka = { KAFKA_BROKERS: env.KAFKA_BROKERS, TEST_KAFKA_HOME: ensureKafka() };
  if (env.SMTP_URL) found.smtp = { SMTP_URL: env.SMTP_URL };
  return found;
}

export async function startStack(only?: string[]): Promise<Stack> {
  const starters = Object.fromEntries(Object.entries(provision()).filter(([name]) => !only || only.includes(name)));
  const given = external();
  const kept = await readKeptServices();
  const env: Record<string, string> = {};
  const started: ServiceHandle[] = [];
  try {
    for (const [name, start] of Object.entries(starters)) {
      const reused = kept.find((handle) => handle.name === name);
      if (given[name]) {
        log(`${name}: using the server from the environment`);
        Object.assign(env, given[name]);
      } else if (reused) {
        log(`${name}: reusing the server started by 'npm run services up'`);
        Object.assign(env, reused.env);
      } else {
        const handle = await start();
        started.push(handle);
        Object.assign(env, handle.env);
      }
    }
  } catch (error) {
    for (const handle of started) await stopService(handle);
    throw error;
  }
  return {
    env,
    stop: async () => {
      for (const handle of started) await stopService(handle);
    },
  };
}
