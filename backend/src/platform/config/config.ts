import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

/** The checkout this backend runs from (src or dist alike): backend/<src|dist>/platform/config. */
const REPOSITORY = path.resolve(__dirname, '..', '..', '..', '..');

const optionalUrl = z.url().optional();
const commaList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );
const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .default('false')
  .transform((value) => value === 'true' || value === '1');

/**
 * Every environment variable Spendcast reads. Unset optional services fall back to the embedded
 * defaults, so `npm start` needs none of them.
 */
const environmentSchema = z.object({
  /** development | test | production; production refuses embedded defaults that lose security. */
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Interface the HTTP server binds to; 0.0.0.0 in containers. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** HTTP port. */
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** Address users reach the product at; used in emailed links. */
  PUBLIC_URL: z.url().default('http://localhost:8080'),
  /** Where the embedded database, blobs, mail inbox and keys live when no real service is configured. */
  DATA_DIR: z.string().min(1).default('./data'),
  /** pino log level. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  /** PostgreSQL URL for the app role (no ownership, no BYPASSRLS). Unset: embedded PGlite under DATA_DIR. */
  DATABASE_URL: optionalUrl,
  /** PostgreSQL URL of the schema owner, used only to run migrations. Defaults to DATABASE_URL. */
  DATABASE_OWNER_URL: optionalUrl,
  /** Connections in the app's pool. */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(20),
  /** Run pending migrations at start (as DATABASE_OWNER_URL). */
  DATABASE_MIGRATE_ON_START: booleanFlag.default(true),

  /** Redis URL for the cache and rate-limit counters. Unset: in-process memory. */
  REDIS_URL: optionalUrl,

  /** Kafka bootstrap brokers, comma-separated (host:port). Unset: the outbox is dispatched to in-process consumers. */
  KAFKA_BROKERS: commaList,
  /** Client id this process gives Kafka. */
  KAFKA_CLIENT_ID: z.string().min(1).default('spendcast-backend'),
  /** Prefix of every topic and consumer group, for several deployments sharing one cluster. */
  KAFKA_PREFIX: z.string().regex(/^[a-zA-Z0-9._-]*$/, 'letters, digits, . _ and - only').default(''),
  /** Partitions of each topic created at start (events of one group or user always share one). */
  KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
  /** Replication factor of each topic created at start; 3 on a production cluster. */
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(10).default(1),
  /** This replica's name; per-replica consumer groups (WebSocket delivery) use it. Defaults to the host name (the pod name). */
  REPLICA_ID: z.string().regex(/^[a-zA-Z0-9._-]+$/, 'letters, digits, . _ and - only').default(os.hostname().replace(/[^a-zA-Z0-9._-]/g, '-')),
  /** Run the outbox relay in this process (any number of replicas may). */
  OUTBOX_RELAY: booleanFlag.default(true),
  /** Outbox rows the relay publishes per transaction. */
  OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(200),
  /** Attempts after which an event the broker rejects is parked (kept and counted, no longer retried). */
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(10),
  /** Fallback poll of the outbox, in milliseconds; new rows wake the relay at once. */
  OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(50).default(5_000),

  /** How often WebSocket clients are pinged; a client that missed the previous ping is dropped. */
  WS_HEARTBEAT_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Bytes queued for one WebSocket client beyond which it is disconnected as too slow. */
  WS_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).default(1_048_576),

  /** S3/MinIO endpoint for receipts and model artifacts. Unset: files under DATA_DIR/blobs. */
  S3_ENDPOINT: optionalUrl,
  /** S3 access key (required with S3_ENDPOINT). */
  S3_ACCESS_KEY: z.string().optional(),
  /** S3 secret key (required with S3_ENDPOINT). */
  S3_SECRET_KEY: z.string().optional(),
  /** Bucket that holds Spendcast's objects; created at start if missing. */
  S3_BUCKET: z.string().min(3).default('spendcast'),
  /** S3 region. */
  S3_REGION: z.string().min(1).default('us-east-1'),

  /** ml-service's gRPC address, e.g. http://ml-service:50051 (https: TLS). Unset: forecasts and anomalies answer that they are unavailable. */
  ML_GRPC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL such as http://ml-service:50051' }).optional(),
  /** Deadline of each ml-service call; past it the call is cancelled and counts as a failure of ml-service. */
  ML_DEADLINE_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  /** The forecasting model the registry manages: `models/<MODEL_NAME>/…` in object storage (ml-service reads the same variable). */
  MODEL_NAME: z.string().regex(/^[\w.-]+$/, 'letters, digits, ".", "_" and "-" only').default('spendcast-forecast'),
  /** The models shipped in the repository; the newest one's backtest is what a first registered model must beat. */
  SHIPPED_MODELS_DIR: z.string().min(1).default(path.join(REPOSITORY, 'ml-service', 'models')),
  /** New bills since the last retrained model that start a retraining (checked by a scheduled job); 0 or unset: off. */
  RETRAIN_BILL_THRESHOLD: z.coerce.number().int().min(0).default(0),
  /** How often the retraining job counts new bills. */
  RETRAIN_CHECK_INTERVAL_MINUTES: z.coerce.number().int().min(1).default(60),
  /** Python with the training requirements installed (`npm run retrain` makes and passes the virtualenv). */
  TRAINING_PYTHON: z.string().min(1).default('python3'),
  /** The training pipeline's directory (the `spendcast_forecast` package). */
  TRAINING_DIR: z.string().min(1).default(path.join(REPOSITORY, 'ml-service', 'training')),

  /** SMTP URL, e.g. smtp://user:pass@mail:587. Unset: messages are written to DATA_DIR/mail. */
  SMTP_URL: optionalUrl,
  /** Sender address of outgoing mail. */
  MAIL_FROM: z.string().min(3).default('Spendcast <no-reply@spendcast.local>'),

  /** Origins allowed to call the API from a browser, comma-separated. */
  CORS_ORIGINS: commaList,
  /** Largest accepted request body, in bytes. */
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /** Requests per client IP per RATE_LIMIT_WINDOW_MS. */
  RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(600),
  /** Rate-limit window in milliseconds. */
  RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(1000).default(60_000),
  /** Number of reverse proxies in front of the app, for client IPs (0: none). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).default(0),
  /** How long SIGTERM waits for in-flight requests before closing anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),

  /** Ed25519 private key (PKCS#8 PEM) that signs access tokens. Unset: generated once under DATA_DIR/keys (not in production). */
  JWT_PRIVATE_KEY: z.string().includes('PRIVATE KEY', { message: 'must be a PKCS#8 PEM private key' }).optional(),
  /** 32 random bytes, base64, that encrypt secrets at rest (TOTP). Unset: generated once under DATA_DIR/keys (not in production). */
  SECRETS_KEY: z
    .string()
    .refine((value) => Buffer.from(value, 'base64').length === 32, { message: 'must be 32 bytes, base64-encoded' })
    .optional(),
  /** Lifetime of an access token; at most 15 minutes. */
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(900).default(900),
  /** Lifetime of a refresh token (rotated on every use). */
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** Where sign-in may send the browser or app back to: URL prefixes, comma-separated. Defaults to PUBLIC_URL and the app scheme. */
  AUTH_REDIRECT_ALLOWLIST: commaList,
  /** Password sign-in attempts per client IP per 15 minutes. */
  LOGIN_RATE_LIMIT_PER_IP: z.coerce.number().int().min(1).default(30),
  /** Password sign-in attempts per account (email) per 15 minutes. */
  LOGIN_RATE_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  /** OAuth client id of the Google sign-in; Google sign-in is on when it and GOOGLE_CLIENT_SECRET are set. */
  GOOGLE_CLIENT_ID: z.string().optional(),
  /** OAuth client secret of the Google sign-in. */
  GOOGLE_CLIENT_SECRET: z.string().optional(),
  /** Google's OpenID issuer; its discovery document names the endpoints. Tests point it at a local provider. */
  GOOGLE_ISSUER_URL: z.url().default('https://accounts.google.com'),
  /** Company sign-in providers (OpenID Connect), comma-separated names; each is configured by OIDC_<NAME>_* variables. */
  OIDC_PROVIDERS: commaList,
});

export type Environment = z.input<typeof environmentSchema>;

/** Every variable the product reads, for documentation checks. */
export const ENVIRONMENT_VARIABLES = Object.keys(environmentSchema.shape);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

function requireTogether(env: z.output<typeof environmentSchema>): string[] {
  if (!env.S3_ENDPOINT) return [];
  return (['S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const)
    .filter((key) => !env[key])
    .map((key) => `${key}: required when S3_ENDPOINT is set`);
}

function requireGoogleTogether(env: z.output<typeof environmentSchema>): string[] {
  if (!env.GOOGLE_CLIENT_ID === !env.GOOGLE_CLIENT_SECRET) return [];
  return env.GOOGLE_CLIENT_ID ? ['GOOGLE_CLIENT_SECRET: required when GOOGLE_CLIENT_ID is set'] : ['GOOGLE_CLIENT_ID: required when GOOGLE_CLIENT_SECRET is set'];
}

/** Issuers are trusted over TLS alone in production; plain HTTP is for a provider on a developer's machine. */
function insecureIssuer(name: string, url: string, env: string): string[] {
  return env === 'production' && new URL(url).protocol !== 'https:' ? [`${name}: must be an https URL in production`] : [];
}

export interface OidcProviderConfig {
  /** Lower-case name from OIDC_PROVIDERS; the URL segment in /api/v1/auth/oidc/:provider. */
  name: string;
  label: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Lower-case email domains that may sign in; empty: any. */
  allowedDomains: string[];
}

const PROVIDER_NAME = /^[a-z][a-z0-9_-]{0,30}$/;

/**
 * The company sign-in providers that OIDC_PROVIDERS lists, each from its OIDC_<NAME>_* variables
 * (NAME upper-cased, `-` as `_`). They cannot be keys of the fixed schema, so they are read here, and
 * a problem names the variable as the schema's errors do.
 */
export function loadOidcProviders(names: string[], source: Record<string, string | undefined>, env: string): OidcProviderConfig[] {
  const problems: string[] = [];
  const providers: OidcProviderConfig[] = [];
  const seen = new Set<string>();
  for (const raw of names) {
    const name = raw.toLowerCase();
    if (!PROVIDER_NAME.test(name) || name === 'google') {
      problems.push(`OIDC_PROVIDERS: "${raw}" is not a provider name (letters, digits, - and _, starting with a letter; not google)`);
      continue;
    }
    const prefix = `OIDC_${name.toUpperCase().replaceAll('-', '_')}_`;
    // `my-corp` and `my_corp` would read the same variables.
    if (seen.has(prefix)) {
      problems.push(`OIDC_PROVIDERS: "${raw}" is listed twice`);
      continue;
    }
    seen.add(prefix);
    const read = (key: string) => (source[prefix + key] ?? '').trim();
    const required = (key: string) => {
      const value = read(key);
      if (!value) problems.push(`${prefix}${key}: required because OIDC_PROVIDERS lists ${name}`);
      return value;
    };
    const issuer = required('ISSUER');
    if (issuer && !z.url({ protocol: /^https?$/ }).safeParse(issuer).success) problems.push(`${prefix}ISSUER: must be an http(s) URL`);
    else if (issuer) problems.push(...insecureIssuer(`${prefix}ISSUER`, issuer, env));
    const allowedDomains = read('ALLOWED_DOMAINS')
      .split(',')
      .map((domain) => domain.trim().toLowerCase().replace(/^@/, ''))
      .filter(Boolean);
    for (const domain of allowedDomains) {
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) problems.push(`${prefix}ALLOWED_DOMAINS: "${domain}" is not a domain name`);
    }
    providers.push({
      name,
      label: read('LABEL') || name.charAt(0).toUpperCase() + name.slice(1),
      issuer,
      clientId: required('CLIENT_ID'),
      clientSecret: required('CLIENT_SECRET'),
      allowedDomains,
    });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return providers;
}

function productionSecrets(env: z.output<typeof environmentSchema>): string[] {
  if (env.NODE_ENV !== 'production') return [];
  // Keys generated on one replica's disk would differ between replicas and vanish with the pod.
  return (['JWT_PRIVATE_KEY', 'SECRETS_KEY'] as const).filter((key) => !env[key]).map((key) => `${key}: required in production`);
}

export function loadConfig(source: Record<string, string | undefined> = process.env) {
  // Empty strings mean "unset": shells and manifests often export VAR= for optional values.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error));
  const env = parsed.data;
  const problems = [...requireTogether(env), ...requireGoogleTogether(env), ...insecureIssuer('GOOGLE_ISSUER_URL', env.GOOGLE_ISSUER_URL, env.NODE_ENV), ...productionSecrets(env)];
  if (problems.length > 0) throw new ConfigError(problems);
  const oidcProviders = loadOidcProviders(env.OIDC_PROVIDERS, present, env.NODE_ENV);

  const dataDir = path.resolve(env.DATA_DIR);
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    dataDir,
    http: {
      host: env.HOST,
      port: env.PORT,
      publicUrl: env.PUBLIC_URL.replace(/\/$/, ''),
      corsOrigins: env.CORS_ORIGINS,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      rateLimit: { max: env.RATE_LIMIT_MAX, windowMs: env.RATE_LIMIT_WINDOW_MS },
      trustProxyHops: env.TRUST_PROXY_HOPS,
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    },
    database: env.DATABASE_URL
      ? {
          kind: 'postgres' as const,
          url: env.DATABASE_URL,
          ownerUrl: env.DATABASE_OWNER_URL ?? env.DATABASE_URL,
          poolSize: env.DATABASE_POOL_SIZE,
          migrateOnStart: env.DATABASE_MIGRATE_ON_START,
        }
      : {
          kind: 'embedded' as const,
          directory: path.join(dataDir, 'pglite'),
          poolSize: Math.min(env.DATABASE_POOL_SIZE, 8),
          migrateOnStart: true,
        },
    redisUrl: env.REDIS_URL,
    events: {
      kafka:
        env.KAFKA_BROKERS.length > 0
          ? { brokers: env.KAFKA_BROKERS, clientId: env.KAFKA_CLIENT_ID, prefix: env.KAFKA_PREFIX, partitions: env.KAFKA_PARTITIONS, replicationFactor: env.KAFKA_REPLICATION_FACTOR, replicaId: env.REPLICA_ID }
          : undefined,
      websocket: { heartbeatMs: env.WS_HEARTBEAT_MS, maxBufferedBytes: env.WS_MAX_BUFFERED_BYTES },
      relay: { enabled: env.OUTBOX_RELAY, batchSize: env.OUTBOX_BATCH_SIZE, maxAttempts: env.OUTBOX_MAX_ATTEMPTS, pollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS, retentionMs: 24 * 3_600_000 },
    },
    blobs: env.S3_ENDPOINT
      ? {
          kind: 's3' as const,
          endpoint: env.S3_ENDPOINT,
          accessKey: env.S3_ACCESS_KEY ?? '',
          secretKey: env.S3_SECRET_KEY ?? '',
          bucket: env.S3_BUCKET,
          region: env.S3_REGION,
        }
      : { kind: 'local' as const, directory: path.join(dataDir, 'blobs') },
    auth: {
      jwtPrivateKey: env.JWT_PRIVATE_KEY,
      secretsKey: env.SECRETS_KEY,
      keysDirectory: path.join(dataDir, 'keys'),
      issuer: env.PUBLIC_URL.replace(/\/$/, ''),
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
      redirectAllowlist: env.AUTH_REDIRECT_ALLOWLIST.length > 0 ? env.AUTH_REDIRECT_ALLOWLIST : [`${new URL(env.PUBLIC_URL).origin}/`, 'spendcast://'],
      loginRateLimit: { perIp: env.LOGIN_RATE_LIMIT_PER_IP, perAccount: env.LOGIN_RATE_LIMIT_PER_ACCOUNT, windowMs: 15 * 60_000 },
      google: env.GOOGLE_CLIENT_ID && env.GOOGLE_CLIENT_SECRET ? { clientId: env.GOOGLE_CLIENT_ID, clientSecret: env.GOOGLE_CLIENT_SECRET, issuer: env.GOOGLE_ISSUER_URL } : undefined,
      oidcProviders,
    },
    ml: env.ML_GRPC_URL ? { url: env.ML_GRPC_URL, deadlineMs: env.ML_DEADLINE_MS } : undefined,
    models: {
      name: env.MODEL_NAME,
      shippedDirectory: path.resolve(env.SHIPPED_MODELS_DIR),
      training: { python: env.TRAINING_PYTHON, directory: path.resolve(env.TRAINING_DIR) },
      retrain: { billThreshold: env.RETRAIN_BILL_THRESHOLD, checkIntervalMs: env.RETRAIN_CHECK_INTERVAL_MINUTES * 60_000 },
    },
    mail: env.SMTP_URL
      ? { kind: 'smtp' as const, url: env.SMTP_URL, from: env.MAIL_FROM }
      : { kind: 'inbox' as const, directory: path.join(dataDir, 'mail'), from: env.MAIL_FROM },
  };
}

export type Config = ReturnType<typeof loadConfig>;

/** For entry points: the configuration, or the reason it is wrong on stderr and exit 78 (EX_CONFIG: restarting will not help). */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
}
