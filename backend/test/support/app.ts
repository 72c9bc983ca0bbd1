import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/platform/config';
import { createLogger, type Logger } from '../../src/platform/logging';
import { openRuntime, type Runtime } from '../../src/runtime';
import { createTestDatabase, type TestDatabase } from './database';

export interface TestApp {
  app: ReturnType<typeof buildApp>['app'];
  built: ReturnType<typeof buildApp>;
  runtime: Runtime;
  database: TestDatabase;
  /** Serves the app (and its WebSocket endpoint) on a loopback port; returns its base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The whole product on a fresh database, configured only through environment variables as in
 * production. `env` overrides or adds variables, e.g. `{ RATE_LIMIT_MAX: '3' }`. The product logs
 * nothing unless given a logger to watch.
 */
export async function startTestApp(env: Record<string, string> = {}, database?: TestDatabase, logger: Logger = createLogger('silent')): Promise<TestApp> {
  const db = database ?? (await createTestDatabase());
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'spendcast-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    DATABASE_URL: db.appUrl,
    DATABASE_OWNER_URL: db.ownerUrl,
    DATABASE_MIGRATE_ON_START: 'false',
    ...env,
  });
  const runtime = await openRuntime(config, logger);
  const built = buildApp(runtime);
  await runtime.bus.start(built.consumers);
  let server: Server | undefined;
  return {
    app: built.app,
    built,
    runtime,
    database: db,
    async listen() {
      if (!server) {
        server = built.app.listen(0, '127.0.0.1');
        built.realtime.attach(server);
        await once(server, 'listening');
      }
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    async close() {
      built.realtime.close();
      if (server) {
        server.closeAllConnections();
        await new Promise((resolve) => server!.close(resolve));
      }
      await runtime.close();
      if (!database) await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
