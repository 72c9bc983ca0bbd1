import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { Registry } from 'prom-client';
import { open, seal } from '../../../src/platform/bus';
import { EventProcessor } from '../../../src/platform/bus/consumers';
import { createLogger } from '../../../src/platform/logging';
import { insightsConsumer } from '../../../src/modules/insights';
import { createTestDatabase, flavor, withClient, type TestDatabase } from '../../support/database';

const logger = createLogger('silent');

const billCreated = (groupId: string, categoryId: string, eventId: string = randomUUID()) => {
  const bill = { billId: randomUUID(), groupId, userId: randomUUID(), createdBy: '', version: 1, title: 'Bakery', amount: '3.20', currency: 'EUR', spentOn: '2026-11-25', categoryId };
  return seal({ scopeKey: groupId, payload: { case: 'billCreated', value: { bill } } }, { eventId, occurredAt: new Date(), correlationId: `request-${eventId}` }).bytes;
};

describe(`consuming events delivered together (${flavor})`, () => {
  let database: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new Pool({ connectionString: database.ownerUrl, max: 2 });
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  const processor = (registry: Registry, onCommit: () => void = () => {}) => new EventProcessor(pool, logger, registry, onCommit, { attempts: 2, retryDelayMs: 1 });
  const outcomes = async (registry: Registry) =>
    Object.fromEntries((await registry.getSingleMetric('events_consumed_total')!.get()).values.map((value) => [value.labels.outcome, value.value]));
  const forecastRequests = (groupIds: string[]) =>
    withClient(database.ownerUrl, async (client) =>
      (await client.query<{ scope_key: string; envelope: Buffer }>(`SELECT scope_key, envelope FROM outbox WHERE topic = 'prediction.requested' AND scope_key = ANY($1) ORDER BY seq`, [groupIds])).rows.map((row) => {
        const { payload, correlationId } = open(row.envelope);
        return { scope: row.scope_key, categories: payload.case === 'predictionRequested' ? [...payload.value.categoryIds].sort() : [], correlationId };
      }),
    );

  it('asks for one forecast per scope for a burst of bill changes, in one transaction, and never twice for an event', async () => {
    const [kitchen, garage] = [randomUUID(), randomUUID()];
    const [food, fuel, tools] = [randomUUID(), randomUUID(), randomUUID()];
    const earlier = randomUUID();
    const registry = new Registry();
    let commits = 0;
    const events = processor(registry, () => commits++);
    await events.deliver(insightsConsumer(), [billCreated(kitchen, food, earlier)]);
    commits = 0;

    const first = randomUUID();
    const repeated = billCreated(garage, tools);
    let settled = 0;
    await events.deliver(insightsConsumer(), [billCreated(kitchen, food, first), billCreated(garage, fuel), billCreated(kitchen, food, earlier), billCreated(kitchen, ''), repeated, repeated], async () => void settled++);

    expect(await forecastRequests([kitchen, garage])).toEqual([
      { scope: kitchen, categories: [food], correlationId: `request-${earlier}` },
      // One request per scope for the batch, carrying the first change's correlation id.
      { scope: kitchen, categories: [food], correlationId: `request-${first}` },
      { scope: garage, categories: [fuel, tools].sort(), correlationId: expect.any(String) },
    ]);
    expect([commits, settled]).toEqual([1, 1]);
    expect(await outcomes(registry)).toEqual({ handled: 1 + 4, duplicate: 2 });
  });

  it('handles each event alone when handling them together fails, so a bad event holds no other back', async () => {
    const [kitchen, garage] = [randomUUID(), randomUUID()];
    const registry = new Registry();
    let settled = 0;

    // An event id that is not a UUID cannot be recorded as processed: it fails alone, every time.
    await processor(registry).deliver(insightsConsumer(), [billCreated(kitchen, ''), billCreated(garage, '', 'not-a-uuid'), billCreated(kitchen, '')], async () => void settled++);

    expect((await forecastRequests([kitchen, garage])).map((request) => request.scope)).toEqual([kitchen, kitchen]);
    // Each event settled on its own, the bad one after its retries: a Kafka session heartbeats at each.
    expect(settled).toBe(3);
    expect(await outcomes(registry)).toEqual({ handled: 2, failed: 1 });
  });

  it('skips unreadable bytes and handles the rest', async () => {
    const kitchen = randomUUID();
    const registry = new Registry();

    await processor(registry).deliver(insightsConsumer(), [Uint8Array.from([0xff, 0x00, 0x13]), billCreated(kitchen, ''), billCreated(kitchen, '')]);

    expect(await forecastRequests([kitchen])).toHaveLength(1);
    expect(await outcomes(registry)).toEqual({ unreadable: 1, handled: 2 });
  });
});
