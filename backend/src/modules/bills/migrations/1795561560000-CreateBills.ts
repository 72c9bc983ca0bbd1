import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../../../platform/database';

export class CreateBills1795561560000 implements MigrationInterface {
  name = 'CreateBills1795561560000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await db.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    // unaccent() is only STABLE (its dictionary could change); pinning the dictionary makes an
    // IMMUTABLE wrapper that expression indexes accept.
    await db.query(`
      CREATE FUNCTION search_text(p_text text) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS
      $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, p_text)) $$`);
    await db.query(`GRANT EXECUTE ON FUNCTION search_text(text) TO ${APP_ROLE}`);

    await db.query(`
      CREATE TABLE bills (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid,
        group_id uuid,
        created_by uuid,
        title text NOT NULL,
        amount_minor bigint NOT NULL,
        currency character(3) NOT NULL,
        exchange_rate numeric(24,12) NOT NULL,
        base_amount_minor bigint NOT NULL,
        spent_at timestamptz NOT NULL,
        time_zone text NOT NULL,
        spent_on date NOT NULL,
        category_id uuid,
        tags text[] NOT NULL DEFAULT '{}',
        payee text,
        notes text,
        split_kind text,
        version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_bills" PRIMARY KEY (id),
        CONSTRAINT bills_one_scope CHECK ((user_id IS NULL) <> (group_id IS NULL)),
        CONSTRAINT bills_amount_positive CHECK (amount_minor > 0),
        CONSTRAINT bills_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT bills_group_id_fkey FOREIGN KEY (group_id) REFERENCES groups (id) ON DELETE CASCADE,
        CONSTRAINT bills_created_by_fkey FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT bills_category_id_fkey FOREIGN KEY (category_id) REFERENCES categories (id) ON DELETE RESTRICT
      )`);
    // First pages stay fast at any ledger size: every listing walks one of these in sort order.
    await db.query(`CREATE INDEX bills_user_spent_idx ON bills (user_id, spent_at, id) WHERE user_id IS NOT NULL`);
    await db.query(`CREATE INDEX bills_user_category_spent_idx ON bills (user_id, category_id, spent_at, id) WHERE user_id IS NOT NULL`);
    await db.query(`CREATE INDEX bills_group_spent_idx ON bills (group_id, spent_at, id) WHERE group_id IS NOT NULL`);
    await db.query(`CREATE INDEX bills_group_category_spent_idx ON bills (group_id, category_id, spent_at, id) WHERE group_id IS NOT NULL`);
    await db.query(`CREATE INDEX bills_group_creator_spent_idx ON bills (group_id, created_by, spent_at, id) WHERE group_id IS NOT NULL`);
    await db.query(`CREATE INDEX bills_search_trgm_idx ON bills USING gin (search_text(title || ' ' || coalesce(payee, '') || ' ' || coalesce(notes, '')) gin_trgm_ops)`);
    await db.query(`CREATE INDEX bills_tags_idx ON bills USING gin (tags)`);

    await db.query(`
      CREATE TABLE bill_participants (
        bill_id uuid NOT NULL,
        user_id uuid NOT NULL,
        share_minor bigint NOT NULL,
        percent numeric(7,4),
        CONSTRAINT "PK_bill_participants" PRIMARY KEY (bill_id, user_id),
        CONSTRAINT bill_participants_bill_id_fkey FOREIGN KEY (bill_id) REFERENCES bills (id) ON DELETE CASCADE,
        CONSTRAINT bill_participants_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE INDEX bill_participants_user_id_idx ON bill_participants (user_id)`);

    await db.query(`
      CREATE TABLE exchange_rates (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid,
        group_id uuid,
        currency character(3) NOT NULL,
        base_currency character(3) NOT NULL,
        valid_on date NOT NULL,
        rate numeric(24,12) NOT NULL,
        CONSTRAINT "PK_exchange_rates" PRIMARY KEY (id),
        CONSTRAINT exchange_rates_one_scope CHECK ((user_id IS NULL) <> (group_id IS NULL)),
        CONSTRAINT exchange_rates_rate_positive CHECK (rate > 0),
        CONSTRAINT exchange_rates_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT exchange_rates_group_id_fkey FOREIGN KEY (group_id) REFERENCES groups (id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE UNIQUE INDEX exchange_rates_lookup_key ON exchange_rates (group_id, user_id, currency, base_currency, valid_on) NULLS NOT DISTINCT`);

    // Who sees a group's bills, as sets computed once per statement (a per-row function call would
    // cost a lookup for every row of a million-bill ledger).
    await db.query(`
      CREATE FUNCTION app_groups_with_role(p_role text) RETURNS SETOF uuid
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ SELECT group_id FROM memberships WHERE user_id = app_user_id() AND (p_role IS NULL OR role = p_role) $$`);
    await db.query(`
      CREATE FUNCTION app_groups_seeing_all_bills() RETURNS SETOF uuid
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ SELECT m.group_id FROM memberships m JOIN groups g ON g.id = m.group_id
          WHERE m.user_id = app_user_id() AND (m.role = 'admin' OR g.members_see_all_bills) $$`);
    await db.query(`GRANT EXECUTE ON FUNCTION app_groups_with_role(text), app_groups_seeing_all_bills() TO ${APP_ROLE}`);

    for (const table of ['bills', 'bill_participants', 'exchange_rates']) await db.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    // Personal bills: the owner only. Group bills: the creator, the group's admins, and other
    // members only when the group lets members see each other's bills.
    await db.query(`CREATE POLICY bills_read ON bills FOR SELECT USING (
      user_id = app_user_id()
      OR (group_id IS NOT NULL AND (created_by = app_user_id() OR group_id IN (SELECT app_groups_seeing_all_bills()))))`);
    await db.query(`CREATE POLICY bills_create ON bills FOR INSERT WITH CHECK (
      created_by = app_user_id()
      AND (user_id = app_user_id() OR group_id IN (SELECT app_groups_with_role(NULL))))`);
    await db.query(`CREATE POLICY bills_change ON bills FOR UPDATE USING (
      user_id = app_user_id()
      OR (group_id IS NOT NULL AND (created_by = app_user_id() OR group_id IN (SELECT app_groups_with_role('admin')))))
      WITH CHECK (user_id = app_user_id() OR group_id IN (SELECT app_groups_with_role(NULL)))`);
    await db.query(`CREATE POLICY bills_remove ON bills FOR DELETE USING (
      user_id = app_user_id()
      OR (group_id IS NOT NULL AND (created_by = app_user_id() OR group_id IN (SELECT app_groups_with_role('admin')))))`);
    // Participants follow their bill.
    await db.query(`CREATE POLICY bill_participants_follow_bill ON bill_participants
      USING (EXISTS (SELECT 1 FROM bills b WHERE b.id = bill_id))
      WITH CHECK (EXISTS (SELECT 1 FROM bills b WHERE b.id = bill_id))`);
    await db.query(`CREATE POLICY exchange_rates_read ON exchange_rates FOR SELECT
      USING (user_id = app_user_id() OR group_id IN (SELECT app_groups_with_role(NULL)))`);
    await db.query(`CREATE POLICY exchange_rates_write ON exchange_rates FOR ALL
      USING (user_id = app_user_id() OR group_id IN (SELECT app_groups_with_role('admin')))
      WITH CHECK (user_id = app_user_id() OR group_id IN (SELECT app_groups_with_role('admin')))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE exchange_rates`);
    await db.query(`DROP TABLE bill_participants`);
    await db.query(`DROP TABLE bills`);
    await db.query(`DROP FUNCTION app_groups_seeing_all_bills()`);
    await db.query(`DROP FUNCTION app_groups_with_role(text)`);
    await db.query(`DROP FUNCTION search_text(text)`);
  }
}
