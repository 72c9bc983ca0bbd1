import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An event written in the same transaction as the change it describes, waiting for the relay. */
@Entity({ name: 'outbox' })
@Index('outbox_pending_idx', ['seq'], { where: 'published_at IS NULL AND parked_at IS NULL' })
export class OutboxEntity {
  /** Commit order within a scope; the relay publishes a scope's events in this order. */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  seq!: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ type: 'text' })
  topic!: string;

  /** Group or user id: the Kafka key. */
  @Column({ name: 'scope_key', type: 'text' })
  scopeKey!: string;

  /** The protobuf `spendcast.events.v1.Envelope`. */
  @Column({ type: 'bytea' })
  envelope!: Buffer;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  /** Failed publishing attempts so far. */
  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  /** Set when the row could not be published after the allowed attempts: kept, counted, skipped. */
  @Column({ name: 'parked_at', type: 'timestamptz', nullable: true })
  parkedAt!: Date | null;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;
}

/** The consumers' memory of events they handled, for exactly-once effects over at-least-once delivery. */
@Entity({ name: 'processed_events' })
export class ProcessedEventEntity {
  @Column({ type: 'text', primary: true })
  consumer!: string;

  @Column({ name: 'event_id', type: 'uuid', primary: true })
  eventId!: string;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt!: Date;
}
