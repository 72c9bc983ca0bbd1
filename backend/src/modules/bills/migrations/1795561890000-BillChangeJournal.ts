import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../../../platform/database';

/** The bill columns a filter reads (`applyFilter`), journalled with each version of a bill. */
const FILTERED = ['group_id', 'user_id', 'created_by', 'category_id', 'tags', 'spent_at', 'base_amount_minor', 'search_document'];
const values = (row: 'OLD' | 'NEW') => FILTERED.map((column) => `${row}.${column}`).join(', ');

/**
 * The journal that keeps cached filter totals exact without counting them again (`BillTotals`). Each
 * bill change writes, in its own transaction, the version it removed (sign -1) and the version it added
 * (sign +1), stamped with the writing transaction's id. Totals cached with the snapshot they were counted
 * in are brought up to date by summing the rows that snapshot did not see. Rows outlive any cached total
 * (`app_prune_bill_changes`), so the table holds the last hour of changes, not the ledger's history.
 */
export class BillChangeJournal1795561890000 implements MigrationInterface {
  name = 'BillChangeJournal1795561890000';

  async up(db: QueryRunner): Promise<void> {
    // No foreign keys: each would lock the group's or user's row once more in every bill write (with many
    // members writing at once, one more pass over that row's lockers). The rows of a deleted group or
    // account are left to whoever recorded each bill (the policy below) and pruned within the hour.
    await db.query(`
      CREATE TABLE bill_changes (
        seq bigint GENERATED ALWAYS AS IDENTITY,
        xid bigint NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        sign smallint NOT NULL,
        group_id uuid,
        user_id uuid,
        created_by uuid,
        category_id uuid,
        tags text[] NOT NULL,
        spent_at timestamptz NOT NULL,
        base_amount_minor bigint NOT NULL,
        search_document text,
        CONSTRAINT "PK_bill_changes" PRIMARY KEY (seq),
        CONSTRAINT bill_changes_sign CHECK (sign IN (-1, 1))
      )`);
    // A scope's changes since a snapshot's xmin: an index range under row-level security too (uuid and
    // bigint comparisons are leakproof). The transaction id is an xid8 kept as bigint, a type TypeORM knows.
    await db.query(`CREATE INDEX bill_changes_group_xid_idx ON bill_changes (group_id, xid) WHERE group_id IS NOT NULL`);
    await db.query(`CREATE INDEX bill_changes_user_xid_idx ON bill_changes (user_id, xid) WHERE user_id IS NOT NULL`);

    // An edit that leaves every filtered column as it was changes no total and is not journalled, nor is a
    // bill that goes with its group or its owner's account (already invisible to this transaction when its
    // bills cascade): no total of that scope is asked for again.
    await db.query(`
      CREATE FUNCTION bill_changes_record() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND (${values('OLD')}) IS NOT DISTINCT FROM (${values('NEW')}) THEN
          RETURN NULL;
        END IF;
        IF TG_OP <> 'INSERT'
           AND (OLD.group_id IS NULL OR EXISTS (SELECT 1 FROM groups WHERE id = OLD.group_id))
           AND (OLD.user_id IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = OLD.user_id)) THEN
          INSERT INTO bill_changes (xid, sign, ${FILTERED.join(', ')}) VALUES (pg_current_xact_id()::text::bigint, -1, ${values('OLD')});
        END IF;
        IF TG_OP <> 'DELETE' THEN
          INSERT INTO bill_changes (xid, sign, ${FILTERED.join(', ')}) VALUES (pg_current_xact_id()::text::bigint, 1, ${values('NEW')});
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER bills_journal AFTER INSERT OR UPDATE OR DELETE ON bills FOR EACH ROW EXECUTE FUNCTION bill_changes_record()`);

    await db.query(`
      CREATE FUNCTION app_prune_bill_changes(p_kept_seconds integer) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        v_deleted integer;
      BEGIN
        DELETE FROM bill_changes WHERE changed_at < clock_timestamp() - make_interval(secs => p_kept_seconds);
        GET DIAGNOSTICS v_deleted = ROW_COUNT;
        RETURN v_deleted;
      END $$`);
    await db.query(`GRANT EXECUTE ON FUNCTION app_prune_bill_changes(integer) TO ${APP_ROLE}`);

    await db.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON bill_changes FROM ${APP_ROLE}`);
    await db.query(`ALTER TABLE bill_changes ENABLE ROW LEVEL SECURITY`);
    // Each version is visible to whoever may see the bill it was (bills_read).
    await db.query(`CREATE POLICY bill_changes_read ON bill_changes FOR SELECT USING (
      user_id = (SELECT app_user_id())
      OR (group_id IS NOT NULL AND (created_by = (SELECT app_user_id()) OR group_id IN (SELECT app_groups_seeing_all_bills()))))`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION app_prune_bill_changes(integer)`);
    await db.query(`DROP TRIGGER bills_journal ON bills`);
    await db.query(`DROP FUNCTION bill_changes_record()`);
    await db.query(`DROP TABLE bill_changes`);
  }
}
