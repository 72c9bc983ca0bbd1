import type { MigrationInterface, QueryRunner } from 'typeorm';

const OWNED_BY_USER = ['password_credentials', 'totp_credentials', 'recovery_codes', 'refresh_tokens'];

export class CreateAuth1795561320000 implements MigrationInterface {
  name = 'CreateAuth1795561320000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE password_credentials (
        user_id uuid NOT NULL,
        password_hash text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_password_credentials" PRIMARY KEY (user_id),
        CONSTRAINT password_credentials_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await db.query(`
      CREATE TABLE totp_credentials (
        user_id uuid NOT NULL,
        secret_encrypted text NOT NULL,
        enabled_at timestamptz,
        last_used_step bigint,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_totp_credentials" PRIMARY KEY (user_id),
        CONSTRAINT totp_credentials_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await db.query(`
      CREATE TABLE recovery_codes (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        code_hash text NOT NULL,
        used_at timestamptz,
        CONSTRAINT "PK_recovery_codes" PRIMARY KEY (id),
        CONSTRAINT recovery_codes_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX recovery_codes_user_id_idx ON recovery_codes (user_id)`);
    await db.query(`
      CREATE TABLE refresh_tokens (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        family_id uuid NOT NULL,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_refresh_tokens" PRIMARY KEY (id),
        CONSTRAINT refresh_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX refresh_tokens_user_id_idx ON refresh_tokens (user_id)`);
    await db.query(`CREATE INDEX refresh_tokens_family_id_idx ON refresh_tokens (family_id)`);
    await db.query(`CREATE UNIQUE INDEX refresh_tokens_token_hash_key ON refresh_tokens (token_hash)`);

    for (const table of OWNED_BY_USER) {
      await db.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await db.query(`CREATE POLICY ${table}_owner ON ${table} USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id())`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [...OWNED_BY_USER].reverse()) await db.query(`DROP TABLE ${table}`);
  }
}
