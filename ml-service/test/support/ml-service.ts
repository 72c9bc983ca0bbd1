// Starts the real ml-service on loopback ports with a gRPC client, a health client and its logs.
import { Writable } from 'node:stream';
import { credentials, makeClientConstructor, type Client } from '@grpc/grpc-js';
import { createPromiseClient, Forecaster } from '@spendcast/proto';
import { service as healthService } from 'grpc-health-check';
import { startMlService } from '../../src/ml-service';
import { loadConfig } from '../../src/platform/config';
import { createLogger } from '../../src/platform/logger';

export type Health = 'SERVING' | 'NOT_SERVING' | 'UNKNOWN';

export async function startTestService(env: Record<string, string>) {
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  // Polling would race the tests' explicit refresh() calls; the polling test sets its own interval.
  const config = loadConfig({ GRPC_PORT: '0', METRICS_PORT: '0', MODEL_POLL_INTERVAL_MS: '3600000', ...env });
  const service = await startMlService(config, createLogger('info', destination));
  const client = createPromiseClient(Forecaster, service.address, credentials.createInsecure());
  const HealthClient = makeClientConstructor(healthService, 'grpc.health.v1.Health');
  const healthClient = new HealthClient(service.address, credentials.createInsecure()) as unknown as Client & {
    check(request: { service: string }, callback: (error: Error | null, response?: { status: Health }) => void): void;
  };
  return {
    service,
    client,
    logs,
    health: (name = '') =>
      new Promise<Health>((resolve, reject) => healthClient.check({ service: name }, (error, response) => (error ? reject(error) : resolve(response!.status)))),
    stop: async () => {
      client.close();
      healthClient.close();
      await service.stop();
    },
  };
}
