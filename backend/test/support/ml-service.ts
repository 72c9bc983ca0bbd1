// The real ml-service in the test's process, from its build (`npm run build` makes it, as for
// `npm start`), serving the model shipped in the repository on a free loopback port. onnxruntime
// checks its tensors against the typed arrays of the realm it was loaded in, so a test file that
// starts ml-service runs in ml-service's test environment:
//   /** @jest-environment @spendcast/ml-service/test/support/onnx-environment.js */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { startMlService } from '@spendcast/ml-service/dist/ml-service';
import { loadConfig } from '@spendcast/ml-service/dist/platform/config';
import pino from 'pino';
import { startTestApp, type TestApp } from './app';
import { given, type GivenUser } from './given';
import { groupOf, join } from './spending';

export interface TestMlService {
  /** What ML_GRPC_URL takes. */
  url: string;
  /** ml-service's log lines, parsed. */
  logs: Array<Record<string, unknown>>;
  /** Stops it (in the middle of a test, too); later calls do nothing. */
  stop(): Promise<void>;
}

export async function startTestMlService(): Promise<TestMlService> {
  // An empty registry: the shipped model serves.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'spendcast-ml-'));
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const config = loadConfig({ GRPC_PORT: '0', METRICS_PORT: '0', DATA_DIR: dataDir, MODEL_POLL_INTERVAL_MS: '3600000' });
  const service = await startMlService(config, pino({ level: 'info' }, destination));
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${service.address}`,
    logs,
    stop: () => (stopped ??= service.stop().then(() => rm(dataDir, { recursive: true, force: true }))),
  };
}

/** The product using a real ml-service, with a group of an admin and a member, and a stranger to it. */
export interface MlHousehold {
  ml: TestMlService;
  product: TestApp;
  admin: GivenUser;
  member: GivenUser;
  stranger: GivenUser;
  groupId: string;
}

export async function startMlHousehold(groupName: string): Promise<MlHousehold> {
  const ml = await startTestMlService();
  const product = await startTestApp({ ML_GRPC_URL: ml.url });
  const admin = await given(product.app).user({ groupName });
  const member = await given(product.app).user();
  const stranger = await given(product.app).user();
  const groupId = await groupOf(product.app, admin);
  await join(product.app, admin, groupId, member);
  return { ml, product, admin, member, stranger, groupId };
}
