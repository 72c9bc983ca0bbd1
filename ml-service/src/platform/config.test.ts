import path from 'node:path';
import { ConfigError, loadConfig } from './config';

function problemsFor(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`expected loadConfig(${JSON.stringify(env)}) to throw a ConfigError`);
}

describe('loadConfig', () => {
  it('defaults to loopback, the backend’s local blob directory and the shipped models', () => {
    const config = loadConfig({});
    expect(config.grpc).toEqual({ host: '127.0.0.1', port: 50051, shutdownTimeoutMs: 10_000 });
    expect(config.metrics).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(config.registry).toEqual({ kind: 'local', directory: path.resolve('data/blobs/objects') });
    expect(config.model.shippedDirectory).toBe(path.resolve(__dirname, '../../models'));
  });

  it('reads the registry from S3 with the backend’s variable names', () => {
    const config = loadConfig({ S3_ENDPOINT: 'http://minio:9000', S3_ACCESS_KEY: 'key', S3_SECRET_KEY: 'secret', S3_BUCKET: 'models-here' });
    expect(config.registry).toEqual({ kind: 's3', endpoint: 'http://minio:9000', accessKey: 'key', secretKey: 'secret', bucket: 'models-here', region: 'us-east-1' });
  });

  it('listens for model.registered only when KAFKA_BROKERS is set, in a consumer group of its own per replica', () => {
    expect(loadConfig({}).events).toBeUndefined();
    expect(loadConfig({ KAFKA_BROKERS: 'k1:9092, k2:9092', KAFKA_PREFIX: 'acme.', REPLICA_ID: 'ml-0' }).events).toEqual({
      brokers: ['k1:9092', 'k2:9092'],
      clientId: 'spendcast-ml-service',
      prefix: 'acme.',
      replicaId: 'ml-0',
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ S3_ENDPOINT: '', GRPC_PORT: '' }).registry.kind).toBe('local');
  });

  it('names each bad variable', () => {
    expect(problemsFor({ GRPC_PORT: '70000', MAX_HORIZON: '0', MODEL_NAME: '../x' })).toEqual([
      expect.stringMatching(/^GRPC_PORT: /),
      expect.stringMatching(/^MODEL_NAME: /),
      expect.stringMatching(/^MAX_HORIZON: /),
    ]);
  });

  it('requires the S3 keys with S3_ENDPOINT', () => {
    expect(problemsFor({ S3_ENDPOINT: 'http://minio:9000' })).toEqual(['S3_ACCESS_KEY: required when S3_ENDPOINT is set', 'S3_SECRET_KEY: required when S3_ENDPOINT is set']);
  });
});
