import { randomBytes, randomUUID } from 'node:crypto';
import { create, toBinary } from '@bufbuild/protobuf';
import { EnvelopeSchema } from '@spendcast/proto';
import { Kafka, logLevel } from 'kafkajs';
import { startTestService } from '../support/ml-service';
import { shipped, TestRegistry } from '../support/registry';

const brokers = process.env.KAFKA_BROKERS!.split(',');
// A prefix of its own: the topic and consumer groups of this run do not meet any other's.
const prefix = `ml-medium-${randomBytes(4).toString('hex')}.`;
const topic = `${prefix}model.registered`;
const kafka = new Kafka({ clientId: 'ml-medium-test', brokers, logLevel: logLevel.NOTHING });
const registry = new TestRegistry();
let app: Awaited<ReturnType<typeof startTestService>>;

const served = async () => (await app.client.getModelInfo({})).model?.version;

beforeAll(async () => {
  const admin = kafka.admin();
  await admin.connect();
  // The backend creates its topics at start; here the test stands in for it.
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1 }] });
  await admin.disconnect();
  await registry.create();
  // An hour between polls (startTestService's default): only the event can explain a swap within the test.
  app = await startTestService({ ...registry.env, KAFKA_BROKERS: brokers.join(','), KAFKA_PREFIX: prefix, REPLICA_ID: 'replica-a' });
});

afterAll(async () => {
  await app?.stop();
  await registry.drop();
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

async function publishRegistered(version: string): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  const envelope = create(EnvelopeSchema, {
    eventId: randomUUID(),
    type: 'model.registered',
    scopeKey: shipped.name,
    schemaVersion: 1,
    payload: { case: 'modelRegistered', value: { name: shipped.name, version, status: 'active', artifactKey: `models/${shipped.name}/${version}/model.onnx` } },
  });
  await producer.send({ topic, messages: [{ key: shipped.name, value: Buffer.from(toBinary(EnvelopeSchema, envelope)) }] });
  await producer.disconnect();
}

async function eventually<T>(read: () => Promise<T>, expected: T, timeoutMs: number): Promise<void> {
  const started = performance.now();
  while ((await read()) !== expected) {
    if (performance.now() - started > timeoutMs) throw new Error(`still ${String(await read())} after ${timeoutMs} ms, expected ${String(expected)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('with KAFKA_BROKERS set', () => {
  it('swaps to a newly promoted model when model.registered arrives, long before the next poll', async () => {
    expect(await served()).toBe(shipped.version);
    await registry.publish('v2');
    await registry.promote('v2');
    // Promoted in the registry, but nobody said so yet: the shipped model keeps serving.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await served()).toBe(shipped.version);

    await publishRegistered('v2');

    // The consumer may still be joining its group (a few seconds); the poll would take an hour.
    await eventually(served, 'v2', 30_000);
    expect(app.logs.some((line) => line.msg === 'model registered; checking the registry' && line.version === 'v2')).toBe(true);
  });
});
