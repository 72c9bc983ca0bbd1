import { randomUUID } from 'node:crypto';
import type { UnitOfWork } from '../database';
import { seal, type DomainEvent, type SealedEvent } from './envelope';

/** The port use cases publish through; events land only if the surrounding transaction commits. */
export interface EventPublisher {
  publish(event: DomainEvent): Promise<void>;
  /**
   * Seals an event for the repository that makes the change to append in that same statement
   * (`withOutbox`): on a hot path this saves the outbox INSERT's round trip. Like `publish`, it lands
   * only if the transaction commits; unlike it, nothing is written until the repository does so.
   */
  stage(event: DomainEvent): SealedEvent;
}

/** Anything that runs SQL: a TypeORM manager inside a unit of work, or a pg client of the relay. */
export interface SqlExecutor {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

const OUTBOX_COLUMNS = 5;

/**
 * The INSERT that appends sealed events in order, numbering its parameters after the first `offset`:
 * a plain INSERT without RETURNING, since the app role may write the outbox but never read it.
 */
function outboxInsert(events: SealedEvent[], offset = 0): { sql: string; parameters: unknown[] } {
  const rows = events.map((_, row) => `(${Array.from({ length: OUTBOX_COLUMNS }, (_, column) => `$${offset + row * OUTBOX_COLUMNS + column + 1}`).join(', ')})`);
  return {
    sql: `INSERT INTO outbox (event_id, topic, scope_key, envelope, occurred_at) VALUES ${rows.join(', ')}`,
    parameters: events.flatMap((event) => [event.eventId, event.topic, event.scopeKey, Buffer.from(event.bytes), event.occurredAt]),
  };
}

/** Appends sealed events, in order, in one statement. */
export async function appendToOutbox(executor: SqlExecutor, ...events: SealedEvent[]): Promise<void> {
  if (events.length === 0) return;
  const { sql, parameters } = outboxInsert(events);
  await executor.query(sql, parameters);
}

/**
 * Extends a data-changing statement (numbered parameters `$1`…) so that it also appends staged events
 * to the outbox: one statement, so the change and its events are written together or not at all.
 */
export function withOutbox(statement: string, parameters: unknown[], events: SealedEvent[]): { sql: string; parameters: unknown[] } {
  if (events.length === 0) return { sql: statement, parameters };
  const outbox = outboxInsert(events, parameters.length);
  return { sql: `WITH appended_events AS (${outbox.sql}) ${statement}`, parameters: [...parameters, ...outbox.parameters] };
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
    await appendToOutbox(this.transactions.manager(), this.stage(event));
  }

  stage(event: DomainEvent): SealedEvent {
    const context = this.transactions.context();
    this.transactions.afterCommit(this.committed);
    return seal(event, { eventId: randomUUID(), occurredAt: new Date(), correlationId: context.requestId });
  }
}
