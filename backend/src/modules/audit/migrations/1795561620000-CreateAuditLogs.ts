import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../../../platform/database';

/** The audited tables: the entry's target type, and the column that identifies a row when it is not `id`. */
const AUDITED: Array<{ table: string; type: string; key?: string }> = [
  { table: 'users', type: 'user' },
  { table: 'groups', type: 'group' },
  { table: 'memberships', type: 'membership', key: 'user_id' },
  { table: 'invites', type: 'invite' },
  { table: 'categories', type: 'category' },
  { table: 'exchange_rates', type: 'exchange_rate' },
  { table: 'bills', type: 'bill' },
];

const triggerArguments = ({ type, key }: { type: string; key?: string }) => [type, key].filter(Boolean).map((argument) => `'${argument}'`).join(', ');

/**
 * The audit log, written by the database itself: a trigger on every audited table records each
 * mutation in the same transaction, so no code path can change data without leaving an entry and a
 * rolled-back change leaves none. The app role may only read it, under row-level security.
 *
 * To audit another table (e.g. budgets), a later migration attaches the same function:
 *
 *   CREATE TRIGGER budgets_audit AFTER INSERT OR UPDATE OR DELETE ON budgets
 *     FOR EACH ROW EXECUTE FUNCTION audit_row_change('budget');
 *
 * and drops that trigger in its `down`. Arguments: the target type (default: the table name) and
 * the column that identifies a row (default `id`). A `group_id` column puts the entries in that
 * group's log; rows without one are personal and appear only in their actor's log.
 */
export class CreateAuditLogs1795561620000 implements MigrationInterface {
  name = 'CreateAuditLogs1795561620000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE audit_logs (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        seq bigint GENERATED ALWAYS AS IDENTITY,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        group_id uuid,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text NOT NULL,
        changes jsonb,
        request_id text,
        CONSTRAINT "PK_audit_logs" PRIMARY KEY (id),
        CONSTRAINT audit_logs_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES users (id) ON DELETE SET NULL,
        CONSTRAINT audit_logs_group_id_fkey FOREIGN KEY (group_id) REFERENCES groups (id) ON DELETE CASCADE
      )`);
    // The two listings walk these newest first (a backward index scan); the third finds a target's history.
    await db.query(`CREATE INDEX audit_logs_group_seq_idx ON audit_logs (group_id, seq)`);
    await db.query(`CREATE INDEX audit_logs_actor_seq_idx ON audit_logs (actor_id, seq)`);
    await db.query(`CREATE INDEX audit_logs_target_idx ON audit_logs (target_type, target_id)`);

    // Append-only for the app: the trigger functions below write as the owner; requests only read.
    await db.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_logs FROM ${APP_ROLE}`);
    await db.query(`REVOKE ALL ON SEQUENCE audit_logs_seq_seq FROM ${APP_ROLE}`);
    await db.query(`ALTER TABLE audit_logs ENABLE ROW LEVEL SECURITY`);
    await db.query(`CREATE POLICY audit_logs_read ON audit_logs FOR SELECT
      USING (actor_id = app_user_id() OR group_id IN (SELECT app_groups_with_role('admin')))`);

    // Columns named like a secret (password, secret, token, hash, encrypted) never reach the log;
    // updated_at and version are noise, search_document is derived from the text beside it: an update
    // that changes only them writes no entry.
    // A row deleted because its group or its owner's account is being deleted writes no entry of its
    // own: group.deleted and user.deleted stand for it, and the owner's personal data is not copied.
    // The actor is the signed-in user while their account exists (null during its deletion).
    await db.query(`
      CREATE FUNCTION audit_row_change() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        v_hidden CONSTANT text := '^(updated_at|version|search_document)$|password|secret|token|hash|encrypted';
        v_type text := coalesce(TG_ARGV[0], TG_TABLE_NAME);
        v_key text := coalesce(TG_ARGV[1], 'id');
        v_old jsonb;
        v_new jsonb;
        v_row jsonb;
        v_group uuid;
        v_actor uuid := app_user_id();
        v_changes jsonb;
      BEGIN
        IF TG_OP <> 'INSERT' THEN v_old := to_jsonb(OLD); END IF;
        IF TG_OP <> 'DELETE' THEN v_new := to_jsonb(NEW); END IF;
        v_row := coalesce(v_new, v_old);
        v_group := (CASE WHEN TG_TABLE_NAME = 'groups' THEN v_row ->> 'id' ELSE v_row ->> 'group_id' END)::uuid;

        IF TG_OP = 'DELETE' THEN
          IF TG_TABLE_NAME = 'groups' THEN
            v_group := NULL; -- the group's log goes with it; this entry stays in its actor's log
          ELSIF v_group IS NOT NULL AND NOT EXISTS (SELECT 1 FROM groups WHERE id = v_group) THEN
            RETURN NULL;
          ELSIF v_group IS NULL AND v_row ->> 'user_id' IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM users WHERE id = (v_row ->> 'user_id')::uuid) THEN
            RETURN NULL;
          END IF;
        END IF;
        IF v_actor IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users WHERE id = v_actor) THEN
          v_actor := NULL;
        END IF;

        IF TG_OP = 'INSERT' THEN
          SELECT jsonb_build_object('after', coalesce(jsonb_object_agg(key, value), '{}'))
            INTO v_changes FROM jsonb_each(v_new) WHERE key !~ v_hidden;
        ELSIF TG_OP = 'DELETE' THEN
          -- An account's deletion keeps the event, not the person's data.
          IF TG_TABLE_NAME <> 'users' THEN
            SELECT jsonb_build_object('before', coalesce(jsonb_object_agg(key, value), '{}'))
              INTO v_changes FROM jsonb_each(v_old) WHERE key !~ v_hidden;
          END IF;
        ELSE
          SELECT jsonb_object_agg(n.key, jsonb_build_object('from', v_old -> n.key, 'to', n.value))
            INTO v_changes FROM jsonb_each(v_new) n
           WHERE n.key !~ v_hidden AND n.value IS DISTINCT FROM v_old -> n.key;
          IF v_changes IS NULL THEN RETURN NULL; END IF;
        END IF;

        INSERT INTO audit_logs (occurred_at, actor_id, group_id, action, target_type, target_id, changes, request_id)
        VALUES (
          clock_timestamp(), v_actor, v_group,
          v_type || '.' || CASE TG_OP WHEN 'INSERT' THEN 'created' WHEN 'UPDATE' THEN 'updated' ELSE 'deleted' END,
          v_type, v_row ->> v_key, v_changes, nullif(current_setting('app.request_id', true), ''));
        RETURN NULL;
      END $$`);
    for (const audited of AUDITED) {
      await db.query(`CREATE TRIGGER ${audited.table}_audit AFTER INSERT OR UPDATE OR DELETE ON ${audited.table}
        FOR EACH ROW EXECUTE FUNCTION audit_row_change(${triggerArguments(audited)})`);
    }

    // Before an account goes: blank what earlier entries copied of the person (their profile, their
    // personal rows). The entries themselves stay; the foreign key then nulls their actor.
    await db.query(`
      CREATE FUNCTION audit_forget_user() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        UPDATE audit_logs SET changes = NULL
         WHERE changes IS NOT NULL
           AND ((target_type = 'user' AND target_id = OLD.id::text) OR (actor_id = OLD.id AND group_id IS NULL));
        RETURN OLD;
      END $$`);
    await db.query(`CREATE TRIGGER users_audit_forget BEFORE DELETE ON users FOR EACH ROW EXECUTE FUNCTION audit_forget_user()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER users_audit_forget ON users`);
    await db.query(`DROP FUNCTION audit_forget_user()`);
    for (const { table } of [...AUDITED].reverse()) await db.query(`DROP TRIGGER ${table}_audit ON ${table}`);
    await db.query(`DROP FUNCTION audit_row_change()`);
    await db.query(`DROP TABLE audit_logs`);
  }
}
