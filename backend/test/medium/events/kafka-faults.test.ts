import { randomUUID } from 'node:crypto';
import type { Envelope } from '@spendcast/proto';
import { Pool } from 'pg';
import { Registry } from 'prom-client';
import { appendToOutbox, createKafka, EventBus, KafkaTransport, open, OutboxRelay, seal, type EventConsumer, type KafkaOptions, type OutgoingEvent, type Transport } from '../../../src/platform/bus';
import { createLogger } from '../../../src/platform/logging';
import { startTestApp, type TestApp } from '../../support/app';
import { createTestDatabase, flavor, withClient, type TestDatabase } from '../../support/database';
import { until } from '../../support/events';
import { given, type GivenUser } from '../../support/given';
import { startStoppableKafka, type StoppableKafka } from '../../support/kafka-server';

const logger = createLogger('silent');
const relayOptions = { batchSize: 100, maxAttempts: 5, pollIntervalMs: 200, retentionMs: 86_400_000 };

/** Records what the consumer abstraction hands a consumer: each effect, in arrival order. */
function recorder(): EventConsumer & { handled: Envelope[] } {
  const handled: Envelope[] = [];
  return { name: 'recorder', topics: ['bill.created'], handled, handle: async (envelope) => void handled.push(envelope) };
}

/** The bill ids of each scope in the order the outbox committed them. */
async function committedOrder(ownerUrl: string): Promise<Map<string, string[]>> {
  const rows = await withClient(ownerUrl, async (client) => (await client.query<{ envelope: Buffer }>(`SELECT envelope FROM outbox WHERE topic = 'bill.created' ORDER BY seq`)).rows);
  return byScope(rows.map((row) => open(row.envelope)));
}

function byScope(envelopes: Envelope[]): Map<string, string[]> {
  const scopes = new Map<string, string[]>();
  for (const envelope of envelopes) {
    const id = envelope.payload.case === 'billCreated' ? (envelope.payload.value.bill?.billId ?? '') : '';
    scopes.set(envelope.scopeKey, [...(scopes.get(envelope.scopeKey) ?? []), id]);
  }
  return scopes;
}

describe(`events over Kafka, through outages (${flavor})`, () => {
  let kafka: StoppableKafka;
  const kafkaOptions = (prefix: string): KafkaOptions => ({ brokers: [kafka.brokers], clientId: 'test', prefix, partitions: 3, replicationFactor: 1, replicaId: 'test' });

  beforeAll(async () => {
    kafka = await startStoppableKafka();
  });
  afterAll(() => kafka.remove());

  it('accepts every bill while Kafka is down and, once it is back, delivers each event exactly once in effect and in order per group', async () => {
    const prefix = `outage-${randomUUID().slice(0, 8)}.`;
    const product: TestApp = await startTestApp({ RATE_LIMIT_MAX: '100000', KAFKA_BROKERS: kafka.brokers, KAFKA_PREFIX: prefix, KAFKA_PARTITIONS: '3', OUTBOX_POLL_INTERVAL_MS: '200' });
    const consumer = recorder();
    const consumers = EventBus.open({ ownerUrl: product.database.ownerUrl, kafka: kafkaOptions(prefix), relay: { ...relayOptions, enabled: false }, listenForNotifications: false }, logger, new Registry());
    try {
      await consumers.start([consumer]);
      const admins: GivenUser[] = [await given(product.app).user({ groupName: 'North' }), await given(product.app).user({ groupName: 'South' })];
      const groups = await Promise.all(admins.map((admin) => given(product.app).groupOf(admin)));

      await kafka.stop();
      for (let batch = 0; batch < 100; batch++) {
        // Ten at a time, alternating groups: 1,000 creates, every one acknowledged while Kafka is away.
        await Promise.all(Array.from({ length: 10 }, (_, index) => given(product.app).bill(admins[index % 2]!, { groupId: groups[index % 2], title: `Bill ${batch}.${index}` })));
      }
      const pending = await withClient(product.database.ownerUrl, async (client) => (await client.query(`SELECT count(*)::int AS n FROM outbox WHERE topic = 'bill.created' AND published_at IS NULL`)).rows[0].n);
      expect(pending).toBe(1000);

      await kafka.start();
      await until(() => consumer.handled.length >= 1000, 120_000, 'all 1,000 events');
      await new Promise((resolve) => setTimeout(resolve, 1000));

      expect(consumer.handled).toHaveLength(1000);
      expect(new Set(consumer.handled.map((envelope) => envelope.eventId)).size).toBe(1000);
      expect(byScope(consumer.handled)).toEqual(await committedOrder(product.database.ownerUrl));
    } finally {
      await consumers.stop();
      await product.close();
    }
  }, 300_000);

  it('loses nothing when a relay dies after sending a batch but before marking it, and consumers absorb the repeats', async () => {
    const prefix = `crash-${randomUUID().slice(0, 8)}.`;
    const database: TestDatabase = await createTestDatabase();
    const pool = new Pool({ connectionString: database.ownerUrl, max: 2 });
    const registry = new Registry();
    const consumer = recorder();
    const consumers = EventBus.open({ ownerUrl: database.ownerUrl, kafka: kafkaOptions(prefix), relay: { ...relayOptions, enabled: false }, listenForNotifications: false }, logger, registry);
    const kafkaTransport = new KafkaTransport(createKafka(kafkaOptions(prefix), logger), kafkaOptions(prefix));
    try {
      const scopes = [randomUUID(), randomUUID(), randomUUID()];
      for (let index = 0; index < 300; index++) {
        const scopeKey = scopes[index % 3]!;
        const bill = { billId: randomUUID(), groupId: scopeKey, userId: scopeKey, createdBy: scopeKey, version: 1, title: `#${index}`, amount: '1.00', currency: 'EUR', spentOn: '2026-11-25', categoryId: '' };
        await appendToOutbox(pool, seal({ scopeKey, payload: { case: 'billCreated', value: { bill } } }, { eventId: randomUUID(), occurredAt: new Date() }));
      }
      await consumers.start([consumer]);

      // This relay's process "dies" right after Kafka took its first batch: its transaction never commits.
      const dying: Transport = {
        name: 'dies after sending',
        send: async (events: OutgoingEvent[]) => {
          // The topics are new: until the broker has elected their leaders it refuses the batch, and a relay
          // tries again after a pause. This one does the same, then dies once Kafka has taken the batch. The
          // last refusal goes in the timeout message, in case Kafka refused for another reason.
          let refusal: unknown;
          const sent = () =>
            kafkaTransport.send(events).then(
              () => true,
              (error: unknown) => {
                refusal = error;
                return false;
              },
            );
          await until(sent, 30_000, () => `Kafka to take the batch (it last refused with ${String(refusal)})`);
          throw new Error('the relay process was killed');
        },
        close: async () => undefined,
      };
      await expect(new OutboxRelay(pool, dying, logger, new Registry(), relayOptions).drain()).rejects.toThrow('killed');
      const survivor = new OutboxRelay(pool, kafkaTransport, logger, new Registry(), relayOptions);
      expect(await survivor.drain()).toBe(300);

      await until(() => consumer.handled.length >= 300, 60_000, 'all 300 events');
      await until(async () => ((await registry.getSingleMetric('events_consumed_total')?.get())?.values.find((value) => value.labels.outcome === 'duplicate')?.value ?? 0) >= 100, 30_000, 'the repeats');
      expect(consumer.handled).toHaveLength(300);
      expect(byScope(consumer.handled)).toEqual(await committedOrder(database.ownerUrl));
    } finally {
      await consumers.stop();
      await kafkaTransport.close();
      await pool.end();
      await database.drop();
    }
  }, 180_000);
});
