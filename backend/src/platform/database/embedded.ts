import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { freePort } from '../net';

export interface EmbeddedDatabase {
  /** Connection URL for `pg`; PGlite accepts any user name and password. */
  url: string;
  stop(): Promise<void>;
}

/**
 * PGlite (PostgreSQL compiled to WASM) behind its wire-protocol socket server, so the app talks
 * to it through the same `pg`/TypeORM code as to a real server. `directory` undefined keeps it in memory.
 */
export async function startEmbeddedDatabase(directory?: string, port?: number): Promise<EmbeddedDatabase> {
  if (directory) await mkdir(directory, { recursive: true });
  const db = await PGlite.create(directory ?? 'memory://', { extensions: { citext, pgcrypto, pg_trgm, unaccent } });
  const listenPort = port ?? (await freePort());
  // The socket server multiplexes clients onto PGlite's one backend and keeps a transaction's
  // statements together; more than one connection lets the pool work as usual.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: listenPort, maxConnections: 32 });
  await server.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${listenPort}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
