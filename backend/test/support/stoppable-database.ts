import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/platform/net';
import { migrate, startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/platform/database';
import { entities, migrations } from '../../src/schema';
import { createTestDatabase, flavor, type TestDatabase } from './database';

/** A database the test can really stop and start again, to watch the app lose and regain it. */
export interface StoppableDatabase extends TestDatabase {
  stop(): Promise<void>;
  start(): Promise<void>;
}

function pgCtl(args: string[]): void {
  const pgCtlPath = path.join(process.env.TEST_PG_BIN!, 'pg_ctl');
  const asRoot = process.getuid?.() === 0;
  const result = asRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', pgCtlPath, ...args], { encoding: 'utf8' })
    : spawnSync(pgCtlPath, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`pg_ctl ${args.join(' ')} failed: ${result.stderr}`);
}

/**
 * On the PostgreSQL run this stops the whole test cluster with pg_ctl (the suite runs in band);
 * on the PGlite run, or against a server this run does not own, it stops an embedded database.
 */
export async function createStoppableDatabase(): Promise<StoppableDatabase> {
  const data = process.env.TEST_PGDATA;
  if (flavor === 'postgres' && data) {
    const database = await createTestDatabase();
    return {
      ...database,
      stop: async () => pgCtl(['-D', data, '-m', 'fast', '-w', 'stop']),
      start: async () => pgCtl(['-D', data, '-o', process.env.TEST_PG_OPTIONS!, '-l', path.join(path.dirname(data), 'server.log'), '-w', 'start']),
    };
  }
  const directory = await mkdtemp(path.join(os.tmpdir(), 'spendcast-pglite-'));
  const port = await freePort();
  let embedded: EmbeddedDatabase | undefined = await startEmbeddedDatabase(directory, port);
  await migrate({ url: embedded.url, entities, migrations, poolSize: 1 });
  return {
    appUrl: embedded.url,
    ownerUrl: embedded.url,
    stop: async () => {
      await embedded?.stop();
      embedded = undefined;
    },
    start: async () => {
      embedded = await startEmbeddedDatabase(directory, port);
    },
    drop: async () => {
      await embedded?.stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
