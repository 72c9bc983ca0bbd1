import 'reflect-metadata';
import { DataSource, type DataSourceOptions as TypeOrmOptions } from 'typeorm';

export interface DataSourceOptions {
  url: string;
  poolSize: number;
  entities: NonNullable<TypeOrmOptions['entities']>;
  migrations: NonNullable<TypeOrmOptions['migrations']>;
  /** Fail a query that waits longer than this for a pooled connection, rather than hang the request. */
  connectionTimeoutMs?: number;
}

export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    uuidExtension: 'pgcrypto',
    synchronize: false,
    migrationsRun: false,
    extra: {
      max: options.poolSize,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
      application_name: 'spendcast',
    },
  });
}

/** Applies pending migrations with the owner's credentials, then closes that connection. */
export async function migrate(options: DataSourceOptions): Promise<string[]> {
  const owner = createDataSource({ ...options, poolSize: 1 });
  await owner.initialize();
  try {
    const applied = await owner.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await owner.destroy();
  }
}
