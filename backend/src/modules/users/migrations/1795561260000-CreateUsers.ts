import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateUsers1795561260000 implements MigrationInterface {
  name = 'CreateUsers1795561260000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE users (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        email text NOT NULL,
        display_name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_users" PRIMARY KEY (id)
      )`);
    await db.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);
    await db.query(`ALTER TABLE users ENABLE ROW LEVEL SECURITY`);
    await db.query(`ALTER TABLE users FORCE ROW LEVEL SECURITY`);
    await db.query(`CREATE POLICY users_self ON users USING (id = app_user_id()) WITH CHECK (id = app_user_id())`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE users`);
  }
}
