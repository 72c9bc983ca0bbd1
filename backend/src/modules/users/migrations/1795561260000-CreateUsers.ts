import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../../../platform/database';

export class CreateUsers1795561260000 implements MigrationInterface {
  name = 'CreateUsers1795561260000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS citext`);
    await db.query(`
      CREATE TABLE users (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        email citext NOT NULL,
        email_verified boolean NOT NULL DEFAULT false,
        username citext,
        first_name text,
        last_name text,
        birthday date,
        theme text NOT NULL DEFAULT 'system',
        locale text NOT NULL DEFAULT 'en',
        currency character(3) NOT NULL DEFAULT 'EUR',
        time_zone text NOT NULL DEFAULT 'UTC',
        onboarded_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_users" PRIMARY KEY (id)
      )`);
    await db.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);
    await db.query(`CREATE UNIQUE INDEX users_username_key ON users (username)`);
    await db.query(`
      CREATE TABLE identities (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        provider text NOT NULL,
        subject text NOT NULL,
        email citext,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_identities" PRIMARY KEY (id),
        CONSTRAINT identities_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE UNIQUE INDEX identities_provider_subject_key ON identities (provider, subject)`);
    await db.query(`CREATE INDEX identities_user_id_idx ON identities (user_id)`);
    await db.query(`
      CREATE TABLE account_deletion_requests (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_account_deletion_requests" PRIMARY KEY (id),
        CONSTRAINT account_deletion_requests_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE UNIQUE INDEX account_deletion_requests_token_hash_key ON account_deletion_requests (token_hash)`);
    await db.query(`CREATE INDEX account_deletion_requests_user_id_idx ON account_deletion_requests (user_id)`);

    // ENABLE, not FORCE: the owner (migrations, the definer functions below) is exempt; the app role never is.
    for (const table of ['users', 'identities', 'account_deletion_requests']) {
      await db.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    }
    await db.query(`CREATE POLICY users_self ON users USING (id = app_user_id()) WITH CHECK (id = app_user_id())`);
    await db.query(`CREATE POLICY identities_owner ON identities USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id())`);
    await db.query(`CREATE POLICY deletion_requests_owner ON account_deletion_requests USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id())`);

    // Sign-in has to find an account before anyone is signed in. These two narrow functions are the
    // only way past RLS for that: each answers one question and returns no personal data.
    await db.query(`
      CREATE FUNCTION auth_user_id_by_email(p_email text) RETURNS uuid
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ SELECT id FROM users WHERE email = p_email::citext $$`);
    await db.query(`
      CREATE FUNCTION auth_user_id_by_identity(p_provider text, p_subject text) RETURNS uuid
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ SELECT user_id FROM identities WHERE provider = p_provider AND subject = p_subject $$`);
    await db.query(`GRANT EXECUTE ON FUNCTION auth_user_id_by_email(text), auth_user_id_by_identity(text, text) TO ${APP_ROLE}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION auth_user_id_by_identity(text, text)`);
    await db.query(`DROP FUNCTION auth_user_id_by_email(text)`);
    await db.query(`DROP TABLE account_deletion_requests`);
    await db.query(`DROP TABLE identities`);
    await db.query(`DROP TABLE users`);
  }
}
