import { randomUUID } from 'node:crypto';
import type { UnitOfWork } from '../database';
import { seal, type DomainEvent, type SealedEvent } from './envelope';

/** The port use cases publish through; events land only if the surrounding transaction commits. */
export interface EventPublisher {
  publish(event: DomainEvent): Promise<void>;
}

/** Anything that runs SQL: a TypeORM manager inside a unit of work, or a pg client of the relay. */
export interface SqlExecutor {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

const OUTBOX_COLUMNS = 5;

/**
 * Appends sealed events, in order, in one statement: a plain INSERT without RETURNING, since the app
 * role may write the outbox but never read it.
 */
export async function appendToOutbox(executor: SqlExecutor, ...events: SealedEvent[]): Promise<void> {
  if (events.length === 0) return;
  const rows = events.map((_, row) => `(${Array.from({ length: OUTBOX_COLUMNS }, (_, column) => `$${row * OUTBOX_COLUMNS + column + 1}`).join(', ')})`);
  await executor.query(
    `INSERT INTO outbox (event_id, topic, scope_key, envelope, occurred_at) VALUES ${rows.join(', ')}`,
    events.flatMap((event) => [event.eventId, event.topic, event.scopeKey, Buffer.from(event.bytes), event.occurredAt]),
  );
}

export class Outbox implements EventPublisher {
  /**
   * @param committed called after a transaction that published events commits: wakes this replica's
   * relay at once (others hear the database's NOTIFY).
   */
  constructor(
    private readonly transactions: UnitOfWork,
    private readonly committed: () => void = () => {},
  ) {}

  async publish(event: DomainEvent): Promise<void> {
    const context = this.transactions.context();
    await appendToOutbox(this.transactions.manager(), seal(event, { eventId: randomUUID(), occurredAt: new Date(), correlationId: context.requestId }));
    this.transactions.afterCommit(this.committed);
  }
}
