import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../roles';

/**
 * The outbox as the relay needs it: protobuf envelopes instead of JSON, a sequence that orders the
 * events of a scope, and the bookkeeping for retries and parking. Nothing read the JSON outbox before
 * the relay existed, so the old table is replaced rather than converted.
 */
export class OutboxRelay1795561740000 implements MigrationInterface {
  name = 'OutboxRelay1795561740000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE outbox`);
    await db.query(`
      CREATE TABLE outbox (
        seq bigint GENERATED ALWAYS AS IDENTITY,
        event_id uuid NOT NULL,
        topic text NOT NULL,
        scope_key text NOT NULL,
        envelope bytea NOT NULL,
        occurred_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        parked_at timestamptz,
        published_at timestamptz,
        CONSTRAINT "PK_outbox" PRIMARY KEY (seq)
      )`);
    await db.query(`CREATE INDEX outbox_pending_idx ON outbox (seq) WHERE published_at IS NULL AND parked_at IS NULL`);
    // Requests append events; only the relay (the owner's connection) reads, marks and prunes them.
    await db.query(`REVOKE SELECT, UPDATE, DELETE ON outbox FROM ${APP_ROLE}`);
    // An identity column draws from its sequence with the inserting role's rights.
    await db.query(`GRANT USAGE ON SEQUENCE outbox_seq_seq TO ${APP_ROLE}`);
    // Wakes every relay at commit, with no extra round trip for the writer; PostgreSQL folds the
    // notifications of one transaction into one.
    await db.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('spendcast_outbox', '');
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
    // Consumers remember what they processed, so a redelivered event has no second effect.
    await db.query(`
      CREATE TABLE processed_events (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_processed_events" PRIMARY KEY (consumer, event_id)
      )`);
    await db.query(`REVOKE SELECT, INSERT, UPDATE, DELETE ON processed_events FROM ${APP_ROLE}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE processed_events`);
    await db.query(`DROP TABLE outbox`);
    await db.query(`DROP FUNCTION outbox_notify()`);
    await db.query(`
      CREATE TABLE outbox (
        id uuid NOT NULL,
        topic text NOT NULL,
        scope_key text NOT NULL,
        payload jsonb NOT NULL,
        correlation_id text,
        occurred_at timestamptz NOT NULL,
        published_at timestamptz,
        CONSTRAINT "PK_outbox" PRIMARY KEY (id)
      )`);
    await db.query(`CREATE INDEX outbox_pending_idx ON outbox (occurred_at) WHERE published_at IS NULL`);
    await db.query(`REVOKE SELECT, UPDATE, DELETE ON outbox FROM ${APP_ROLE}`);
  }
}
