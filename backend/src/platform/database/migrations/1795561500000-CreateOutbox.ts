import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../roles';

export class CreateOutbox1795561500000 implements MigrationInterface {
  name = 'CreateOutbox1795561500000';

  async up(db: QueryRunner): Promise<void> {
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
    // Requests append events; only the relay (a separate, privileged connection) reads and marks them.
    await db.query(`REVOKE SELECT, UPDATE, DELETE ON outbox FROM ${APP_ROLE}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE outbox`);
  }
}
