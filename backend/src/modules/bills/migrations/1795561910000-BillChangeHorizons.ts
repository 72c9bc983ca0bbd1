import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../../../platform/database';

/**
 * Prunes the bill change journal by when transactions ended, not by when their rows were written. A cached
 * total needs every change its snapshot did not see; a transaction that wrote bills and committed an hour
 * later (a stuck request, a long import) had its rows pruned by their write time before any cached total had
 * added them. Each prune now records the oldest transaction still running (its snapshot's xmin) and the
 * journal's newest row; a row written by a transaction older than the oldest running one `p_kept_seconds` ago
 * ended at least that long ago, and every snapshot cached since has seen it. The newest row bounds the
 * delete to a range of the primary key. One replica prunes at a time (the others return at once).
 */
export class BillChangeHorizons1795561910000 implements MigrationInterface {
  name = 'BillChangeHorizons1795561910000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE bill_change_horizons (
        recorded_at timestamptz NOT NULL,
        oldest_running_xid bigint NOT NULL,
        max_seq bigint NOT NULL,
        CONSTRAINT "PK_bill_change_horizons" PRIMARY KEY (recorded_at)
      )`);
    await db.query(`REVOKE ALL ON bill_change_horizons FROM ${APP_ROLE}`);
    await db.query(`
      CREATE OR REPLACE FUNCTION app_prune_bill_changes(p_kept_seconds integer) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        v_horizon bill_change_horizons;
        v_deleted integer;
      BEGIN
        IF NOT pg_try_advisory_xact_lock(hashtext('app_prune_bill_changes')) THEN
          RETURN 0;
        END IF;
        INSERT INTO bill_change_horizons (recorded_at, oldest_running_xid, max_seq)
          VALUES (clock_timestamp(), pg_snapshot_xmin(pg_current_snapshot())::text::bigint, coalesce((SELECT max(seq) FROM bill_changes), 0));
        SELECT * INTO v_horizon FROM bill_change_horizons
          WHERE recorded_at <= clock_timestamp() - make_interval(secs => p_kept_seconds)
          ORDER BY recorded_at DESC LIMIT 1;
        IF NOT FOUND THEN
          RETURN 0;
        END IF;
        DELETE FROM bill_changes WHERE seq <= v_horizon.max_seq AND xid < v_horizon.oldest_running_xid;
        GET DIAGNOSTICS v_deleted = ROW_COUNT;
        DELETE FROM bill_change_horizons WHERE recorded_at < v_horizon.recorded_at;
        RETURN v_deleted;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION app_prune_bill_changes(p_kept_seconds integer) RETURNS integer
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        v_deleted integer;
      BEGIN
        DELETE FROM bill_changes WHERE changed_at < clock_timestamp() - make_interval(secs => p_kept_seconds);
        GET DIAGNOSTICS v_deleted = ROW_COUNT;
        RETURN v_deleted;
      END $$`);
    await db.query(`DROP TABLE bill_change_horizons`);
  }
}
