import { randomUUID } from 'node:crypto';
import type { UnitOfWork } from '../database';

export interface DomainEvent {
  topic: string;
  /** The group id, or the user id for personal scope. */
  scopeKey: string;
  payload: Record<string, unknown>;
}

/** The port use cases publish through; events land only if the surrounding transaction commits. */
export interface EventPublisher {
  publish(event: DomainEvent): Promise<void>;
}

export class Outbox implements EventPublisher {
  constructor(private readonly transactions: UnitOfWork) {}

  async publish(event: DomainEvent): Promise<void> {
    const context = this.transactions.context();
    // Plain INSERT without RETURNING: the app role may write the outbox but never read it.
    await this.transactions.manager().query(
      `INSERT INTO outbox (id, topic, scope_key, payload, correlation_id, occurred_at) VALUES ($1, $2, $3, $4, $5, now())`,
      [randomUUID(), event.topic, event.scopeKey, JSON.stringify(event.payload), context.requestId ?? null],
    );
  }
}
