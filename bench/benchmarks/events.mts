// Issue 5's event figures, in-process (the embedded default) and over a real Kafka broker:
// - end-to-end latency: a member records a bill; how long after the event was written (in the bill's
//   transaction, in the statement that inserts the bill) the group admin's WebSocket receives it;
// - relay throughput: 10,000 pending outbox rows published by the product's own relay code, against
//   bare kafkajs sending the same messages with the same producer settings in the same run.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { Registry } from 'prom-client';
import type { Benchmark } from '../lib/benchmark.mts';
import { createGroup, type Group } from '../lib/ledger.mts';
import { createBenchDatabase, startProduct, type Product } from '../lib/product.mts';
import { percentiles, round, mapValues } from '../lib/stats.mts';

// The product's build (made by the runner): the relay and transports exactly as the backend runs them.
interface OutgoingEvent {
  topic: string;
  scopeKey: string;
  eventId: string;
  envelope: Uint8Array;
}
interface Transport {
  send(events: OutgoingEvent[]): Promise<void>;
  close(): Promise<void>;
}
interface Bus {
  OutboxRelay: new (pool: pg.Pool, transport: Transport, logger: unknown, registry: Registry, options: object) => { drain(): Promise<number> };
  KafkaTransport: new (kafka: unknown, options: KafkaOptions) => Transport;
  createKafka(options: KafkaOptions, logger: unknown): unknown;
  seal(event: object, meta: { eventId: string; occurredAt: Date }): { eventId: string; topic: string; scopeKey: string; bytes: Uint8Array; occurredAt: Date };
}
interface KafkaOptions {
  brokers: string[];
  clientId: string;
  prefix: string;
  partitions: number;
  replicationFactor: number;
  replicaId: string;
}
const require = createRequire(import.meta.url);
const bus = require('../../backend/dist/platform/bus/index.js') as Bus;
const { createLogger } = require('../../backend/dist/platform/logging/index.js') as { createLogger(level: string): unknown };
const { InProcessBus } = require('../../backend/dist/platform/bus/transport.js') as { InProcessBus: new (sink: { deliver(): Promise<void> }) => Transport & { start(consumers: object[]): Promise<void> } };

const LATENCY_BILLS = 300;
const WARMUP_BILLS = 20;
/** One bill at a time, this far apart: the latency of an event, not of a queue behind a load test. */
const GAP_MS = 20;
const PENDING_ROWS = 10_000;
/** The product's default OUTBOX_BATCH_SIZE. */
const BATCH_SIZE = 200;
const PARTITIONS = 3;

export const events: Benchmark = {
  name: 'events',
  description: `Event delivery in-process and over Kafka (${PARTITIONS} partitions, one local broker): bill event written (in the bill's transaction) → the group admin's WebSocket message, ${LATENCY_BILLS} bills one at a time ${GAP_MS} ms apart; relay throughput draining ${PENDING_ROWS.toLocaleString('en')} pending rows (batches of ${BATCH_SIZE}) vs bare kafkajs sending the same messages.`,
  needs: ['kafka'],
  async run({ product, database, services }) {
    const brokers = services.KAFKA_BROKERS!;
    const prefix = `bench-${randomUUID().slice(0, 8)}.`;
    const kafkaOptions: KafkaOptions = { brokers: [brokers], clientId: 'spendcast-bench', prefix, partitions: PARTITIONS, replicationFactor: 1, replicaId: 'bench' };

    const inProcess = await latency(product);
    // Its own database: two products on one outbox would each relay the other's events.
    const kafkaDatabase = await createBenchDatabase(database.adminUrl, 'spendcast_bench_kafka');
    const overKafka = await startProduct({
      DATABASE_URL: kafkaDatabase.appUrl,
      DATABASE_OWNER_URL: kafkaDatabase.ownerUrl,
      KAFKA_BROKERS: brokers,
      KAFKA_PREFIX: prefix,
      KAFKA_PARTITIONS: String(PARTITIONS),
    });
    let kafkaLatency;
    try {
      kafkaLatency = await latency(overKafka);
    } finally {
      await overKafka.stop();
    }

    // The product is stopped: its migrated database is the relay's alone now.
    const relayKafka = await relayThroughput(kafkaDatabase.ownerUrl, new bus.KafkaTransport(bus.createKafka(kafkaOptions, createLogger('silent')), kafkaOptions));
    const relayLocal = await relayThroughput(kafkaDatabase.ownerUrl, await countingInProcessBus());
    const bare = await bareKafka(kafkaOptions, kafkaDatabase.ownerUrl);
    const ratio = round(relayKafka.perSecond / bare.perSecond, 3);
    return {
      rows: [
        { what: 'bill event → WebSocket, in-process', bills: inProcess.count, latencyMs: inProcess.latencyMs },
        { what: 'bill event → WebSocket, over Kafka', bills: kafkaLatency.count, latencyMs: kafkaLatency.latencyMs },
        { what: `bare kafkajs, ${PENDING_ROWS} outbox messages in batches of ${BATCH_SIZE}`, ...bare },
        { what: `relay → Kafka, ${PENDING_ROWS} pending rows`, ...relayKafka },
        { what: `relay → in-process consumers, ${PENDING_ROWS} pending rows`, ...relayLocal },
      ],
      ratio,
    };
  },
};

/** Per bill: the event's occurred-at (set in the writing transaction) to the admin's receipt, same clock. */
async function latency(product: Product): Promise<{ count: number; latencyMs: { p50: number; p95: number; p99: number } }> {
  const group: Group = await createGroup(product.url, `Events ${randomUUID().slice(0, 8)}`, 2);
  const [admin, member] = group.members as [Group['members'][number], Group['members'][number]];
  const received = new Map<string, number>();
  const socket = new WebSocket(`${product.url.replace('http', 'ws')}/api/v1/ws`, ['spendcast.v1', `bearer.${await admin.token()}`]);
  const ready = new Promise<void>((resolve, reject) => {
    socket.addEventListener('error', () => reject(new Error('the WebSocket failed')));
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { type: string; occurredAt?: string; bill?: { title: string } };
      if (message.type === 'ready') resolve();
      if (message.type === 'bill.created' && message.bill) received.set(message.bill.title, Date.now() - Date.parse(message.occurredAt!));
    });
  });
  await ready;
  try {
    const samples: number[] = [];
    for (let index = 0; index < WARMUP_BILLS + LATENCY_BILLS; index++) {
      const title = `Event bill ${index}`;
      const response = await fetch(`${product.url}/api/v1/bills`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await member.token()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title, amount: '12.50', spentAt: new Date().toISOString(), groupId: group.id }),
      });
      if (response.status !== 201) throw new Error(`POST /api/v1/bills: ${response.status} ${await response.text()}`);
      const deadline = Date.now() + 10_000;
      while (!received.has(title)) {
        if (Date.now() > deadline) throw new Error(`the admin never received "${title}"`);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      if (index >= WARMUP_BILLS) samples.push(received.get(title)!);
      await new Promise((resolve) => setTimeout(resolve, GAP_MS));
    }
    return { count: samples.length, latencyMs: mapValues(percentiles(samples), (value) => round(value, 1)) };
  } finally {
    socket.close();
  }
}

/** Fills the outbox with PENDING_ROWS bill events over 50 groups, as the product writes them. */
async function fillOutbox(pool: pg.Pool): Promise<void> {
  await pool.query('TRUNCATE outbox');
  const groups = Array.from({ length: 50 }, () => randomUUID());
  const rows = Array.from({ length: PENDING_ROWS }, (_, index) => {
    const groupId = groups[index % groups.length]!;
    const bill = { billId: randomUUID(), groupId, userId: groupId, createdBy: groupId, version: 1, title: `Bill ${index}`, amount: '12.50', currency: 'GBP', spentOn: '2026-11-25', categoryId: '' };
    return bus.seal({ scopeKey: groupId, payload: { case: 'billCreated', value: { bill } } }, { eventId: randomUUID(), occurredAt: new Date() });
  });
  await pool.query(
    `INSERT INTO outbox (event_id, topic, scope_key, envelope, occurred_at)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bytea[], $5::timestamptz[])`,
    [rows.map((row) => row.eventId), rows.map((row) => row.topic), rows.map((row) => row.scopeKey), rows.map((row) => Buffer.from(row.bytes)), rows.map((row) => row.occurredAt)],
  );
}

async function relayThroughput(ownerUrl: string, transport: Transport): Promise<{ events: number; seconds: number; perSecond: number }> {
  const pool = new pg.Pool({ connectionString: ownerUrl, max: 2 });
  try {
    await fillOutbox(pool);
    const relay = new bus.OutboxRelay(pool, transport, createLogger('silent'), new Registry(), { batchSize: BATCH_SIZE, maxAttempts: 10, pollIntervalMs: 5_000, retentionMs: 86_400_000 });
    const started = performance.now();
    const published = await relay.drain();
    const seconds = (performance.now() - started) / 1000;
    if (published !== PENDING_ROWS) throw new Error(`the relay published ${published} of ${PENDING_ROWS} rows`);
    return { events: published, seconds: round(seconds, 3), perSecond: round(published / seconds, 1) };
  } finally {
    await transport.close();
    await pool.end();
  }
}

/** The in-process transport handing each event to one consumer that only counts it. */
async function countingInProcessBus(): Promise<Transport> {
  const local = new InProcessBus({ deliver: async () => undefined });
  await local.start([{ name: 'count', topics: ['bill.created'], handle: async () => undefined }]);
  return local;
}

/** The same messages, keys and producer settings as KafkaTransport, sent straight from memory. */
async function bareKafka(options: KafkaOptions, ownerUrl: string): Promise<{ events: number; seconds: number; perSecond: number }> {
  const pool = new pg.Pool({ connectionString: ownerUrl, max: 1 });
  let messages;
  try {
    await fillOutbox(pool);
    messages = (await pool.query<{ event_id: string; topic: string; scope_key: string; envelope: Buffer }>(`SELECT event_id, topic, scope_key, envelope FROM outbox ORDER BY seq`)).rows;
  } finally {
    await pool.end();
  }
  const kafka = new Kafka({ clientId: 'bench-bare', brokers: options.brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const started = performance.now();
    for (let start = 0; start < messages.length; start += BATCH_SIZE) {
      await producer.sendBatch({
        acks: -1,
        topicMessages: messages.slice(start, start + BATCH_SIZE).map((row) => ({
          topic: options.prefix + row.topic,
          messages: [{ key: row.scope_key, value: row.envelope, headers: { 'event-id': row.event_id, 'event-type': row.topic } }],
        })),
      });
    }
    const seconds = (performance.now() - started) / 1000;
    return { events: messages.length, seconds: round(seconds, 3), perSecond: round(messages.length / seconds, 1) };
  } finally {
    await producer.disconnect();
  }
}
