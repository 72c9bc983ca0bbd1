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
}

/** Where transports hand over received event bytes; never rejects (failures are logged and counted). */
export interface EventSink {
  deliver(consumer: EventConsumer, bytes: Uint8Array): Promise<void>;
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

  async deliver(consumer: EventConsumer, bytes: Uint8Array): Promise<void> {
    let envelope: Envelope;
    try {
      envelope = open(bytes);
    } catch (error) {
      this.logger.warn({ consumer: consumer.name, err: error }, 'skipping an unreadable event');
      return this.count(consumer, 'unreadable');
    }
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

  private count(consumer: EventConsumer, outcome: Outcome): void {
    this.outcomes.inc({ consumer: consumer.name, outcome });
  }

  private async processOnce(consumer: EventConsumer, envelope: Envelope): Promise<Outcome> {
    if (consumer.perReplica) {
      const key = `${consumer.name}:${envelope.eventId}`;
      if (this.seenByReplica.has(key)) return 'duplicate';
      await consumer.handle(envelope, this.pool);
      this.seenByReplica.set(key, true);
      return 'handled';
    }
    return this.inTransaction(async (client) => {
      const recorded = await client.query(`INSERT INTO processed_events (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [consumer.name, envelope.eventId]);
      if (recorded.rowCount === 0) return 'duplicate';
      await consumer.handle(envelope, client);
      return 'handled';
    }).then((outcome) => {
      if (outcome === 'handled') this.committed();
      return outcome;
    });
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
