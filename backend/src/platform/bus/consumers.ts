import type { Envelope } from '@spendcast/proto';
import { LRUCache } from 'lru-cache';
import type { Pool, PoolClient } from 'pg';
import { Counter, type Registry } from 'prom-client';
import type { Logger } from '../logging';
import { open, type Topic } from './envelope';

/** What a consumer may run SQL on: the transaction that records the event, or the bus's pool. */
export type ConsumerSql = Pick<PoolClient, 'query'>;

/**
 * A consumer of events: the one abstraction every transport (Kafka consumer groups, the in-process
 * bus) drives. Delivery is at least once; the processor below turns that into exactly-once effects.
 */
export interface EventConsumer {
  /** The consumer group: each group handles each event once. */
  name: string;
  topics: readonly Topic[];
  /**
   * Every replica handles every event (it serves its own WebSocket clients); repeats are then
   * remembered in memory. Otherwise one replica of the group handles an event, and the fact that it
   * did is recorded in the database together with the handler's own writes.
   */
  perReplica?: boolean;
  /**
   * Handles one event. `sql` is the transaction that records the event as processed (a consumer that
   * writes there gets exactly-once effects); for per-replica consumers, a plain connection pool.
   */
  handle(envelope: Envelope, sql: ConsumerSql): Promise<void>;
  /**
   * Handles events that arrived together, in order, in the one transaction that records them all as
   * processed: for a consumer whose effect for many events is less work than its effects for each
   * (one request per scope rather than one per event). Without it, `handle` runs for each event.
   */
  handleBatch?(envelopes: Envelope[], sql: ConsumerSql): Promise<void>;
}

/** Where transports hand over received event bytes; never rejects (failures are logged and counted). */
export interface EventSink {
  /**
   * Events for one consumer, in the order they were published (per scope). `settled` is awaited
   * each time some of them are handled, skipped or given up on, however long the batch takes: a
   * transport keeps its session alive there (Kafka's heartbeat).
   */
  deliver(consumer: EventConsumer, batch: Uint8Array[], settled?: () => Promise<void>): Promise<void>;
}

/** How a transport runs consumers: subscribe before `start`, `stop` drains. */
export interface ConsumerHost {
  start(consumers: EventConsumer[]): Promise<void>;
  stop(): Promise<void>;
}

export interface ProcessorOptions {
  /** Attempts per event before it is logged and skipped, so one bad event cannot stall the rest. */
  attempts: number;
  retryDelayMs: number;
}

type Outcome = 'handled' | 'duplicate' | 'unreadable' | 'failed';

/** Decodes, deduplicates and retries: what every transport does with a received event. */
export class EventProcessor implements EventSink {
  private readonly seenByReplica = new LRUCache<string, true>({ max: 100_000 });
  private readonly outcomes: Counter<'consumer' | 'outcome'>;

  constructor(
    private readonly pool: Pool,
    private readonly logger: Logger,
    registry: Registry,
    /** Called after a consumer's transaction committed; it may have written events. */
    private readonly committed: () => void = () => {},
    private readonly options: ProcessorOptions = { attempts: 5, retryDelayMs: 200 },
  ) {
    this.outcomes = new Counter({ name: 'events_consumed_total', help: 'Events received by each consumer, by outcome.', labelNames: ['consumer', 'outcome'] as const, registers: [registry] });
  }

  /**
   * Events of a shared consumer go through one transaction together. If that fails, each is tried
   * on its own, so that one bad event cannot hold the others back.
   */
  async deliver(consumer: EventConsumer, batch: Uint8Array[], settled: () => Promise<void> = async () => undefined): Promise<void> {
    const envelopes = batch.map((bytes) => this.read(consumer, bytes)).filter((envelope) => envelope !== undefined);
    if (envelopes.length > 1 && !consumer.perReplica) {
      try {
        const handled = await this.processTogether(consumer, envelopes);
        this.count(consumer, 'handled', handled);
        this.count(consumer, 'duplicate', envelopes.length - handled);
        return await settled();
      } catch (error) {
        this.logger.warn({ consumer: consumer.name, events: envelopes.length, err: error }, 'handling events together failed; handling them one by one');
      }
    }
    for (const envelope of envelopes) {
      await this.deliverOne(consumer, envelope);
      await settled();
    }
  }

  private read(consumer: EventConsumer, bytes: Uint8Array): Envelope | undefined {
    try {
      return open(bytes);
    } catch (error) {
      this.logger.warn({ consumer: consumer.name, err: error }, 'skipping an unreadable event');
      this.count(consumer, 'unreadable');
      return undefined;
    }
  }

  private async deliverOne(consumer: EventConsumer, envelope: Envelope): Promise<void> {
    const log = this.logger.child({ consumer: consumer.name, eventId: envelope.eventId, type: envelope.type, correlationId: envelope.correlationId });
    for (let attempt = 1; ; attempt++) {
      try {
        return this.count(consumer, await this.processOnce(consumer, envelope));
      } catch (error) {
        if (attempt >= this.options.attempts) {
          log.error({ err: error, attempts: attempt }, 'giving up on an event');
          return this.count(consumer, 'failed');
        }
        log.warn({ err: error, attempt }, 'handling an event failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs * 2 ** (attempt - 1)));
      }
    }
  }

  private count(consumer: EventConsumer, outcome: Outcome, events = 1): void {
    if (events > 0) this.outcomes.inc({ consumer: consumer.name, outcome }, events);
  }

  private async processOnce(consumer: EventConsumer, envelope: Envelope): Promise<Outcome> {
    if (consumer.perReplica) {
      const key = `${consumer.name}:${envelope.eventId}`;
      if (this.seenByReplica.has(key)) return 'duplicate';
      await consumer.handle(envelope, this.pool);
      this.seenByReplica.set(key, true);
      return 'handled';
    }
    return (await this.processTogether(consumer, [envelope])) === 1 ? 'handled' : 'duplicate';
  }

  /** Records the events as processed and handles those not processed before, in one transaction; returns how many it handled. */
  private async processTogether(consumer: EventConsumer, envelopes: Envelope[]): Promise<number> {
    const handled = await this.inTransaction(async (client) => {
      const { rows } = await client.query<{ event_id: string }>(
        `INSERT INTO processed_events (consumer, event_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
        [consumer.name, envelopes.map((envelope) => envelope.eventId)],
      );
      const fresh = new Set(rows.map((row) => row.event_id));
      // A redelivery may repeat an event within the batch too: the first copy is the one handled.
      const unseen = envelopes.filter((envelope) => fresh.delete(envelope.eventId.toLowerCase()));
      if (unseen.length === 0) return 0;
      if (consumer.handleBatch) await consumer.handleBatch(unseen, client);
      else for (const envelope of unseen) await consumer.handle(envelope, client);
      return unseen.length;
    });
    if (handled > 0) this.committed();
    return handled;
  }

  private async inTransaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
