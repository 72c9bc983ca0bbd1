import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdempotencyKeys1795561590000 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1795561590000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_idempotency_keys" PRIMARY KEY (user_id, key)
      )`);
    await db.query(`ALTER TABLE idempotency_keys ENABLE ROW LEVEL SECURITY`);
    await db.query(`CREATE POLICY idempotency_keys_owner ON idempotency_keys USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id())`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE idempotency_keys`);
  }
}
