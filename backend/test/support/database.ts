import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { APP_ROLE, migrate, startEmbeddedDatabase } from '../../src/platform/database';
import { entities, migrations } from '../../src/schema';

export type Flavor = 'postgres' | 'pglite';
export const flavor = (process.env.TEST_DB_FLAVOR ?? 'postgres') as Flavor;

export interface TestDatabase {
  /** Connects as the app role (on PGlite: the shared session; the unit of work switches role). */
  appUrl: string;
  /** Connects as the schema owner. */
  ownerUrl: string;
  drop(): Promise<void>;
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string, credentials?: { user: string; password: string }): string {
  const target = new URL(url);
  target.pathname = `/${database}`;
  if (credentials) {
    target.username = credentials.user;
    target.password = credentials.password;
  }
  return target.toString();
}

/** A fresh, migrated database: its own PostgreSQL database in the test cluster, or its own in-memory PGlite. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (flavor === 'pglite') {
    const embedded = await startEmbeddedDatabase();
    await migrate({ url: embedded.url, entities, migrations, poolSize: 1 });
    return { appUrl: embedded.url, ownerUrl: embedded.url, drop: () => embedded.stop() };
  }
  const admin = process.env.TEST_PG_ADMIN_URL!;
  const name = `spendcast_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await withClient(admin, (client) => client.query(`CREATE DATABASE ${name}`));
  const ownerUrl = withDatabase(admin, name);
  await migrate({ url: ownerUrl, entities, migrations, poolSize: 1 });
  // Migrations create the app role without LOGIN, as production expects a DBA to set its password.
  await withClient(ownerUrl, (client) => client.query(`ALTER ROLE ${APP_ROLE} LOGIN PASSWORD '${APP_ROLE}'`));
  return {
    appUrl: withDatabase(admin, name, { user: APP_ROLE, password: APP_ROLE }),
    ownerUrl,
    drop: () => withClient(admin, (client) => client.query(`DROP DATABASE ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
