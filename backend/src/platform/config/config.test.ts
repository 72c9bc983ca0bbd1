import path from 'node:path';
import { ConfigError, loadConfig } from './config';

/** Calls loadConfig and returns the ConfigError it throws; fails the test when it does not throw one. */
function configErrorFor(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected loadConfig(${JSON.stringify(env)}) to throw a ConfigError`);
}

describe('loadConfig', () => {
  describe('when the environment is empty', () => {
    const config = loadConfig({});
    const dataDir = path.resolve('./data');

    it('uses the embedded database under <DATA_DIR>/pglite', () => {
      expect(config.dataDir).toBe(dataDir);
      expect(config.database).toEqual({ kind: 'embedded', directory: path.join(dataDir, 'pglite'), poolSize: 8, migrateOnStart: true });
    });

    it('writes mail to the inbox under <DATA_DIR>/mail from the default sender', () => {
      expect(config.mail).toEqual({ kind: 'inbox', directory: path.join(dataDir, 'mail'), from: 'Spendcast <no-reply@spendcast.local>' });
    });

    it('stores blobs locally under <DATA_DIR>/blobs', () => {
      expect(config.blobs).toEqual({ kind: 'local', directory: path.join(dataDir, 'blobs') });
    });

    it('serves HTTP on 127.0.0.1:8080 with no CORS origins', () => {
      expect(config.http).toMatchObject({ host: '127.0.0.1', port: 8080, publicUrl: 'http://localhost:8080', corsOrigins: [] });
      expect(config.http.rateLimit).toEqual({ max: 600, windowMs: 60_000 });
      expect(config.http.bodyLimitBytes).toBe(1_048_576);
    });

    it('runs in development at log level info without Redis', () => {
      expect(config.env).toBe('development');
      expect(config.logLevel).toBe('info');
      expect(config.redisUrl).toBeUndefined();
    });
  });

  describe('when DATA_DIR is set', () => {
    it('then places the embedded services under it', () => {
      const config = loadConfig({ DATA_DIR: '/srv/spendcast' });

      expect(config.database).toMatchObject({ kind: 'embedded', directory: '/srv/spendcast/pglite' });
      expect(config.blobs).toEqual({ kind: 'local', directory: '/srv/spendcast/blobs' });
      expect(config.mail).toMatchObject({ kind: 'inbox', directory: '/srv/spendcast/mail' });
    });
  });

  describe('when real services are configured', () => {
    it('then uses PostgreSQL, S3 and SMTP with the owner URL defaulting to DATABASE_URL', () => {
      const config = loadConfig({
        DATABASE_URL: 'postgres://app:secret@db:5432/spendcast',
        DATABASE_POOL_SIZE: '30',
        DATABASE_MIGRATE_ON_START: 'false',
        S3_ENDPOINT: 'http://minio:9000',
        S3_ACCESS_KEY: 'access',
        S3_SECRET_KEY: 'secret',
        SMTP_URL: 'smtp://mail:587',
        REDIS_URL: 'redis://cache:6379',
      });

      expect(config.database).toEqual({
        kind: 'postgres',
        url: 'postgres://app:secret@db:5432/spendcast',
        ownerUrl: 'postgres://app:secret@db:5432/spendcast',
        poolSize: 30,
        migrateOnStart: false,
      });
      expect(config.blobs).toEqual({ kind: 's3', endpoint: 'http://minio:9000', accessKey: 'access', secretKey: 'secret', bucket: 'spendcast', region: 'us-east-1' });
      expect(config.mail).toEqual({ kind: 'smtp', url: 'smtp://mail:587', from: 'Spendcast <no-reply@spendcast.local>' });
      expect(config.redisUrl).toBe('redis://cache:6379');
    });

    it('then reaches ml-service at ML_GRPC_URL with a 2 s deadline unless ML_DEADLINE_MS says otherwise', () => {
      expect(loadConfig({ ML_GRPC_URL: 'http://ml-service:50051' }).ml).toEqual({ url: 'http://ml-service:50051', deadlineMs: 2000 });
      expect(loadConfig({ ML_GRPC_URL: 'https://ml.example.com:443', ML_DEADLINE_MS: '500' }).ml).toEqual({ url: 'https://ml.example.com:443', deadlineMs: 500 });
    });

    it('then strips a trailing slash from PUBLIC_URL', () => {
      expect(loadConfig({ PUBLIC_URL: 'https://spend.example.com/' }).http.publicUrl).toBe('https://spend.example.com');
    });
  });

  describe('when a value is invalid', () => {
    it.each([
      ['PORT', 'abc'],
      ['PORT', '70000'],
      ['PORT', '-1'],
      ['PORT', '80.5'],
      ['DATABASE_URL', 'not-a-url'],
      ['REDIS_URL', 'cache.internal'],
      ['PUBLIC_URL', 'spend.example.com'],
      ['LOG_LEVEL', 'loud'],
      ['NODE_ENV', 'staging'],
      ['DATABASE_MIGRATE_ON_START', 'yes'],
      ['BODY_LIMIT_BYTES', '10'],
      ['RATE_LIMIT_WINDOW_MS', '10'],
      ['ML_GRPC_URL', 'ml-service:50051'],
      ['ML_GRPC_URL', 'grpc://ml-service:50051'],
      ['ML_DEADLINE_MS', '0'],
    ])('then %s=%s throws a ConfigError that names the variable', (name, value) => {
      const error = configErrorFor({ [name]: value });

      expect(error.name).toBe('ConfigError');
      expect(error.problems).toHaveLength(1);
      expect(error.problems[0]).toMatch(new RegExp(`^${name}: `));
      expect(error.message).toContain(name);
    });

    it('then every invalid variable is named in one error', () => {
      const error = configErrorFor({ PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'not-a-url' });

      expect(error.problems.map((problem) => problem.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT']);
      for (const name of ['DATABASE_URL', 'LOG_LEVEL', 'PORT']) expect(error.message).toContain(name);
    });
  });

  describe('when S3_ENDPOINT is set without its credentials', () => {
    it('then both S3_ACCESS_KEY and S3_SECRET_KEY are named', () => {
      const error = configErrorFor({ S3_ENDPOINT: 'http://minio:9000' });

      expect(error.problems).toEqual(['S3_ACCESS_KEY: required when S3_ENDPOINT is set', 'S3_SECRET_KEY: required when S3_ENDPOINT is set']);
      expect(error.message).toContain('S3_ACCESS_KEY');
      expect(error.message).toContain('S3_SECRET_KEY');
    });

    it('then only the missing one is named', () => {
      const error = configErrorFor({ S3_ENDPOINT: 'http://minio:9000', S3_ACCESS_KEY: 'access' });

      expect(error.problems).toEqual(['S3_SECRET_KEY: required when S3_ENDPOINT is set']);
    });

    it('then an empty credential counts as missing', () => {
      const error = configErrorFor({ S3_ENDPOINT: 'http://minio:9000', S3_ACCESS_KEY: '', S3_SECRET_KEY: 'secret' });

      expect(error.problems).toEqual(['S3_ACCESS_KEY: required when S3_ENDPOINT is set']);
    });
  });

  describe('when variables are set to empty strings', () => {
    it('then they count as unset and the defaults apply', () => {
      const config = loadConfig({
        PORT: '',
        LOG_LEVEL: '',
        DATABASE_URL: '',
        REDIS_URL: '',
        S3_ENDPOINT: '',
        SMTP_URL: '',
        DATA_DIR: '',
        CORS_ORIGINS: '',
        NODE_ENV: '',
        ML_GRPC_URL: '',
      });

      expect(config.http.port).toBe(8080);
      expect(config.ml).toBeUndefined();
      expect(config.logLevel).toBe('info');
      expect(config.env).toBe('development');
      expect(config.database.kind).toBe('embedded');
      expect(config.redisUrl).toBeUndefined();
      expect(config.blobs.kind).toBe('local');
      expect(config.mail.kind).toBe('inbox');
      expect(config.dataDir).toBe(path.resolve('./data'));
      expect(config.http.corsOrigins).toEqual([]);
    });
  });

  describe('when CORS_ORIGINS is a comma-separated list', () => {
    it('then the origins are trimmed and empty items dropped', () => {
      const config = loadConfig({ CORS_ORIGINS: ' https://a.example.com ,https://b.example.com,, ' });

      expect(config.http.corsOrigins).toEqual(['https://a.example.com', 'https://b.example.com']);
    });
  });

  describe('when numbers are given as strings', () => {
    it('then they are coerced', () => {
      const config = loadConfig({ PORT: '3000', RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_MS: '2000', TRUST_PROXY_HOPS: '1' });

      expect(config.http.port).toBe(3000);
      expect(config.http.rateLimit).toEqual({ max: 5, windowMs: 2000 });
      expect(config.http.trustProxyHops).toBe(1);
    });
  });
});
