import { Redis } from 'ioredis';
import { Pool } from 'pg';
import type { AppDependencies } from './app';
import type { Config } from './platform/config';
import { createDataSource, migrate, startEmbeddedDatabase, UnitOfWork, type EmbeddedDatabase } from './platform/database';
import { LocalBlobStore, S3BlobStore, type BlobStore } from './platform/blob';
import { EventBus } from './platform/bus';
import { MemoryCache, RedisCache, type Cache } from './platform/cache';
import type { Logger } from './platform/logging';
import { InboxMailer, SmtpMailer, type Mailer } from './platform/mail';
import { Metrics } from './platform/metrics';
import { GrpcMlClient, unconfiguredMlClient } from './platform/ml';
import { prepareAuthMaterial } from './modules/auth';
import { entities, migrations } from './schema';

export interface Runtime extends AppDependencies {
  /** Human-readable description of where each kind of data lives, for the start-up log. */
  locations: Record<string, string>;
  /**
   * The schema owner's connections, for back-office work across tenants that row-level security keeps
   * from the app role: the retraining's export of every tenant's bills, and its lock.
   */
  ownerPool: Pool;
  close(): Promise<void>;
}

interface DatabaseTarget {
  url: string;
  ownerUrl: string;
  embedded?: EmbeddedDatabase;
}

async function openDatabaseTarget(config: Config): Promise<DatabaseTarget> {
  if (config.database.kind === 'postgres') return { url: config.database.url, ownerUrl: config.database.ownerUrl };
  const embedded = await startEmbeddedDatabase(config.database.directory);
  return { url: embedded.url, ownerUrl: embedded.url, embedded };
}

function openBlobStore(config: Config): BlobStore {
  return config.blobs.kind === 's3' ? new S3BlobStore(config.blobs) : new LocalBlobStore(config.blobs.directory);
}

function openMailer(config: Config): Mailer {
  return config.mail.kind === 'smtp' ? new SmtpMailer(config.mail.url, config.mail.from) : new InboxMailer(config.mail.directory, config.mail.from);
}

/** Connects to every configured service (or starts its embedded stand-in) and applies migrations. */
export async function openRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch((error: unknown) => logger.warn({ err: error }, 'error while closing'));
  };
  try {
    const target = await openDatabaseTarget(config);
    if (target.embedded) closers.push(() => target.embedded!.stop());
    const schema = { entities, migrations, poolSize: config.database.poolSize };
    if (config.database.migrateOnStart) {
      const applied = await migrate({ ...schema, url: target.ownerUrl });
      if (applied.length > 0) logger.info({ migrations: applied }, 'applied database migrations');
    }
    const dataSource = createDataSource({ ...schema, url: target.url });
    await dataSource.initialize();
    closers.push(() => dataSource.destroy());
    const ownerPool = new Pool({ connectionString: target.ownerUrl, max: 2 });
    ownerPool.on('error', (error) => logger.warn({ err: error }, 'owner connection error'));
    closers.push(() => ownerPool.end());

    let redis: Redis | undefined;
    let cache: Cache = new MemoryCache();
    if (config.redisUrl) {
      // No offline queue: while Redis is away, commands fail at once (the rate limiter then lets requests
      // through, the cache misses) instead of holding every request until Redis is back.
      redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false });
      await redis.connect();
      const client = redis;
      // ioredis retries the connection every few seconds and, with no listener, prints each failure to
      // the console: say it once in the log when Redis goes away, and once when it is back.
      let reachable = true;
      client.on('error', (error) => {
        if (reachable) logger.warn({ err: error }, 'Redis unreachable; caching and shared rate limits are off until it is back');
        reachable = false;
      });
      client.on('ready', () => {
        if (!reachable) logger.info('Redis reachable again');
        reachable = true;
      });
      // quit() waits for Redis to answer; with Redis gone, shutting down must not wait for it.
      closers.push(async () => (client.status === 'ready' ? void (await client.quit()) : client.disconnect()));
      cache = new RedisCache(redis, (error) => logger.warn({ err: error }, 'cache unavailable; serving without it'));
    }

    const blobs = openBlobStore(config);
    if (blobs instanceof S3BlobStore) await blobs.ensureBucket();
    const mailer = openMailer(config);
    closers.push(() => mailer.close());
    const auth = await prepareAuthMaterial(config.auth);

    const metrics = new Metrics();
    const bus = EventBus.open(
      { ownerUrl: target.ownerUrl, kafka: config.events.kafka, relay: config.events.relay, listenForNotifications: !target.embedded },
      logger,
      metrics.registry,
    );
    // Stopped before the database it publishes from.
    closers.push(() => bus.stop());
    const ml = config.ml ? new GrpcMlClient(config.ml, logger, metrics) : unconfiguredMlClient;
    closers.push(async () => ml.close());

    return {
      config,
      logger,
      metrics,
      bus,
      dataSource,
      transactions: new UnitOfWork(dataSource),
      cache,
      blobs,
      mailer,
      auth,
      redis,
      ml,
      ownerPool,
      locations: {
        database: config.database.kind === 'embedded' ? `${config.database.directory} (embedded PGlite)` : 'PostgreSQL (DATABASE_URL)',
        cache: redis ? 'Redis (REDIS_URL)' : 'in-process memory',
        blobs: config.blobs.kind === 'local' ? config.blobs.directory : `S3 bucket ${config.blobs.bucket}`,
        keys: config.auth.jwtPrivateKey ? 'configured (JWT_PRIVATE_KEY, SECRETS_KEY)' : config.auth.keysDirectory,
        events: config.events.kafka ? `Kafka (KAFKA_BROKERS)` : 'in-process consumers',
        mail: config.mail.kind === 'inbox' ? `${config.mail.directory} (development inbox at /api/dev/mail)` : 'SMTP (SMTP_URL)',
        forecasts: config.ml ? `ml-service at ${config.ml.url}` : 'unavailable (no ML_GRPC_URL)',
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
