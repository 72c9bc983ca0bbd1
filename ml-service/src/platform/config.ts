import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

/** The models shipped in the repository (`ml-service/models`), whether this runs from src or dist. */
const SHIPPED_MODELS_DIR = path.resolve(__dirname, '..', '..', 'models');

/**
 * Every environment variable ml-service reads. The storage variables carry the backend's names, so
 * one set of values configures both and they read the same registry.
 */
const environmentSchema = z.object({
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Interface the gRPC and metrics servers bind to; 0.0.0.0 in containers. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** gRPC port (0: any free port, reported in the start log). */
  GRPC_PORT: port.default(50051),
  /** Port of the HTTP server that serves Prometheus metrics at /metrics. */
  METRICS_PORT: port.default(9464),
  /** How long SIGTERM waits for in-flight calls before cancelling them. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),

  /** Without S3_ENDPOINT the registry is the backend's embedded blob store, whose objects are under DATA_DIR/blobs/objects. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** S3/MinIO endpoint of the model registry. Unset: the local blob directory. */
  S3_ENDPOINT: z.url().optional(),
  /** S3 access key (required with S3_ENDPOINT). */
  S3_ACCESS_KEY: z.string().optional(),
  /** S3 secret key (required with S3_ENDPOINT). */
  S3_SECRET_KEY: z.string().optional(),
  /** Bucket that holds Spendcast's objects, models under `models/`. */
  S3_BUCKET: z.string().min(3).default('spendcast'),
  /** S3 region. */
  S3_REGION: z.string().min(1).default('us-east-1'),

  /** Which model to serve: `models/<MODEL_NAME>/…` in the registry and in SHIPPED_MODELS_DIR. */
  MODEL_NAME: z.string().regex(/^[\w.-]+$/, 'letters, digits, ".", "_" and "-" only').default('spendcast-forecast'),
  /** Served when the registry names no active version. */
  SHIPPED_MODELS_DIR: z.string().min(1).default(SHIPPED_MODELS_DIR),
  /** How often the registry is checked for a newly promoted version; `model.registered` events come sooner. */
  MODEL_POLL_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
  /** Kafka bootstrap brokers, comma-separated: `model.registered` events then trigger a registry check at once. Unset: polling only. */
  KAFKA_BROKERS: z.string().optional(),
  /** Client id this process gives Kafka. */
  KAFKA_CLIENT_ID: z.string().min(1).default('spendcast-ml-service'),
  /** Prefix of topics and consumer groups, as the backend's KAFKA_PREFIX. */
  KAFKA_PREFIX: z.string().regex(/^[a-zA-Z0-9._-]*$/, 'letters, digits, . _ and - only').default(''),
  /** This replica's name: its own consumer group, so every replica hears every event. Defaults to the host name (the pod name). */
  REPLICA_ID: z.string().regex(/^[a-zA-Z0-9._-]+$/, 'letters, digits, . _ and - only').default(os.hostname().replace(/[^a-zA-Z0-9._-]/g, '-')),
  /** Most future periods one Forecast may ask for (also capped by the model's own limit). */
  MAX_HORIZON: z.coerce.number().int().min(1).default(24),
  /** Most series in one Forecast call. */
  MAX_BATCH: z.coerce.number().int().min(1).default(1000),
  /** Most items in one DetectAnomalies call. */
  MAX_ANOMALY_ITEMS: z.coerce.number().int().min(1).default(10_000),
});

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function loadConfig(source: Record<string, string | undefined> = process.env) {
  // Empty strings mean "unset": shells and manifests often export VAR= for optional values.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const env = parsed.data;
  if (env.S3_ENDPOINT) {
    const missing = (['S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const).filter((key) => !env[key]);
    if (missing.length > 0) throw new ConfigError(missing.map((key) => `${key}: required when S3_ENDPOINT is set`));
  }

  return {
    logLevel: env.LOG_LEVEL,
    grpc: { host: env.HOST, port: env.GRPC_PORT, shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS },
    metrics: { host: env.HOST, port: env.METRICS_PORT },
    registry: env.S3_ENDPOINT
      ? {
          kind: 's3' as const,
          endpoint: env.S3_ENDPOINT,
          accessKey: env.S3_ACCESS_KEY ?? '',
          secretKey: env.S3_SECRET_KEY ?? '',
          bucket: env.S3_BUCKET,
          region: env.S3_REGION,
        }
      : { kind: 'local' as const, directory: path.resolve(env.DATA_DIR, 'blobs', 'objects') },
    model: { name: env.MODEL_NAME, shippedDirectory: path.resolve(env.SHIPPED_MODELS_DIR), pollIntervalMs: env.MODEL_POLL_INTERVAL_MS },
    events: env.KAFKA_BROKERS
      ? {
          brokers: env.KAFKA_BROKERS.split(',')
            .map((broker) => broker.trim())
            .filter(Boolean),
          clientId: env.KAFKA_CLIENT_ID,
          prefix: env.KAFKA_PREFIX,
          replicaId: env.REPLICA_ID,
        }
      : undefined,
    limits: { maxHorizon: env.MAX_HORIZON, maxBatch: env.MAX_BATCH, maxAnomalyItems: env.MAX_ANOMALY_ITEMS },
  };
}

export type Config = ReturnType<typeof loadConfig>;
export type RegistryConfig = Config['registry'];
export type EventsConfig = NonNullable<Config['events']>;
