import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../../../platform/database';

/**
 * The daily spend rollup: one row per scope, spender, category and day with the sum and count of
 * the bills there, so dashboards read at most days × categories × members rows however large the
 * ledger grows. A trigger on bills keeps it exact in the bill's own transaction; the app role
 * may only read it, under the same visibility as the bills.
 */
export class CreateSpendRollup1795561650000 implements MigrationInterface {
  name = 'CreateSpendRollup1795561650000';

  async up(db: QueryRunner): Promise<void> {
    // user_id: the owner of personal bills, the creator of group bills (null once that account is deleted).
    await db.query(`
      CREATE TABLE spend_daily (
        id bigint GENERATED ALWAYS AS IDENTITY,
        group_id uuid,
        user_id uuid,
        category_id uuid,
        day date NOT NULL,
        total_base_minor bigint NOT NULL,
        bill_count integer NOT NULL,
        CONSTRAINT "PK_spend_daily" PRIMARY KEY (id),
        CONSTRAINT spend_daily_group_id_fkey FOREIGN KEY (group_id) REFERENCES groups (id) ON DELETE CASCADE,
        CONSTRAINT spend_daily_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT spend_daily_category_id_fkey FOREIGN KEY (category_id) REFERENCES categories (id) ON DELETE CASCADE
      )`);
    await db.query(`CREATE UNIQUE INDEX spend_daily_scope_key ON spend_daily (group_id, user_id, category_id, day) NULLS NOT DISTINCT`);
    await db.query(`CREATE INDEX spend_daily_group_day_idx ON spend_daily (group_id, day) WHERE group_id IS NOT NULL`);
    await db.query(`CREATE INDEX spend_daily_user_day_idx ON spend_daily (user_id, day) WHERE user_id IS NOT NULL`);

    // Adds a delta to one rollup row (creating it), and removes the row when no bill is left in it.
    // Only the trigger below calls it: nobody else may execute it.
    await db.query(`
      CREATE FUNCTION spend_daily_add(p_group uuid, p_user uuid, p_category uuid, p_day date, p_total bigint, p_count integer) RETURNS void
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        v_id bigint;
        v_count integer;
      BEGIN
        INSERT INTO spend_daily AS s (group_id, user_id, category_id, day, total_base_minor, bill_count)
        VALUES (p_group, p_user, p_category, p_day, p_total, p_count)
        ON CONFLICT (group_id, user_id, category_id, day) DO UPDATE
          SET total_base_minor = s.total_base_minor + EXCLUDED.total_base_minor, bill_count = s.bill_count + EXCLUDED.bill_count
        RETURNING id, bill_count INTO v_id, v_count;
        IF v_count <= 0 THEN
          DELETE FROM spend_daily WHERE id = v_id;
        END IF;
      END $$`);
    await db.query(`REVOKE EXECUTE ON FUNCTION spend_daily_add(uuid, uuid, uuid, date, bigint, integer) FROM PUBLIC`);

    // Subtracts the old row's contribution and adds the new one's. A bill deleted or re-attributed
    // because its group or its spender's account is being deleted subtracts nothing: the rollup
    // rows of that group or spender go by their own foreign keys (in whichever order PostgreSQL
    // runs the cascades), and a group bill whose creator is deleted moves to the "deleted user" row.
    await db.query(`
      CREATE FUNCTION spend_daily_follow_bills() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        v_old_user uuid;
        v_new_user uuid;
      BEGIN
        IF TG_OP <> 'INSERT' THEN v_old_user := CASE WHEN OLD.group_id IS NULL THEN OLD.user_id ELSE OLD.created_by END; END IF;
        IF TG_OP <> 'DELETE' THEN v_new_user := CASE WHEN NEW.group_id IS NULL THEN NEW.user_id ELSE NEW.created_by END; END IF;

        IF TG_OP = 'UPDATE' AND (OLD.group_id, v_old_user, OLD.category_id, OLD.spent_on) IS NOT DISTINCT FROM (NEW.group_id, v_new_user, NEW.category_id, NEW.spent_on) THEN
          IF OLD.base_amount_minor <> NEW.base_amount_minor THEN
            PERFORM spend_daily_add(NEW.group_id, v_new_user, NEW.category_id, NEW.spent_on, NEW.base_amount_minor - OLD.base_amount_minor, 0);
          END IF;
          RETURN NULL;
        END IF;

        IF TG_OP <> 'INSERT'
           AND (OLD.group_id IS NULL OR EXISTS (SELECT 1 FROM groups WHERE id = OLD.group_id))
           AND (v_old_user IS NULL OR EXISTS (SELECT 1 FROM users WHERE id = v_old_user)) THEN
          PERFORM spend_daily_add(OLD.group_id, v_old_user, OLD.category_id, OLD.spent_on, -OLD.base_amount_minor, -1);
        END IF;
        IF TG_OP <> 'DELETE' THEN
          PERFORM spend_daily_add(NEW.group_id, v_new_user, NEW.category_id, NEW.spent_on, NEW.base_amount_minor, 1);
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`CREATE TRIGGER bills_spend_daily AFTER INSERT OR UPDATE OR DELETE ON bills FOR EACH ROW EXECUTE FUNCTION spend_daily_follow_bills()`);

    await db.query(`
      INSERT INTO spend_daily (group_id, user_id, category_id, day, total_base_minor, bill_count)
      SELECT group_id, CASE WHEN group_id IS NULL THEN user_id ELSE created_by END, category_id, spent_on, sum(base_amount_minor), count(*)
        FROM bills GROUP BY 1, 2, 3, 4`);

    await db.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON spend_daily FROM ${APP_ROLE}`);
    await db.query(`ALTER TABLE spend_daily ENABLE ROW LEVEL SECURITY`);
    // The same visibility as the bills: personal rows to their owner; group rows to those who see
    // all of the group's bills, and each member's own rows to that member.
    await db.query(`CREATE POLICY spend_daily_read ON spend_daily FOR SELECT USING (
      (group_id IS NULL AND user_id = app_user_id())
      OR (group_id IS NOT NULL AND (user_id = app_user_id() OR group_id IN (SELECT app_groups_seeing_all_bills()))))`);

    // Members of a group that hides bills still see the group's totals: per day, nothing more.
    await db.query(`
      CREATE FUNCTION app_group_daily_totals(p_group uuid, p_from date, p_to date) RETURNS TABLE (day date, total_base_minor bigint)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ SELECT s.day, sum(s.total_base_minor)::bigint FROM spend_daily s
          WHERE s.group_id = p_group AND s.day BETWEEN p_from AND p_to
            AND EXISTS (SELECT 1 FROM memberships m WHERE m.group_id = p_group AND m.user_id = app_user_id())
          GROUP BY s.day ORDER BY s.day $$`);
    await db.query(`GRANT EXECUTE ON FUNCTION app_group_daily_totals(uuid, date, date) TO ${APP_ROLE}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION app_group_daily_totals(uuid, date, date)`);
    await db.query(`DROP TRIGGER bills_spend_daily ON bills`);
    await db.query(`DROP FUNCTION spend_daily_follow_bills()`);
    await db.query(`DROP FUNCTION spend_daily_add(uuid, uuid, uuid, date, bigint, integer)`);
    await db.query(`DROP TABLE spend_daily`);
  }
}
