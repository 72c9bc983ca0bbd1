import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../../../platform/database';

export class CreateBudgets1795561680000 implements MigrationInterface {
  name = 'CreateBudgets1795561680000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE budgets (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        user_id uuid,
        group_id uuid,
        category_id uuid,
        period text NOT NULL,
        amount_minor bigint NOT NULL,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_budgets" PRIMARY KEY (id),
        CONSTRAINT budgets_one_scope CHECK ((user_id IS NULL) <> (group_id IS NULL)),
        CONSTRAINT budgets_period_known CHECK (period IN ('month', 'week')),
        CONSTRAINT budgets_amount_positive CHECK (amount_minor > 0),
        CONSTRAINT budgets_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
        CONSTRAINT budgets_group_id_fkey FOREIGN KEY (group_id) REFERENCES groups (id) ON DELETE CASCADE,
        CONSTRAINT budgets_category_id_fkey FOREIGN KEY (category_id) REFERENCES categories (id) ON DELETE CASCADE,
        CONSTRAINT budgets_created_by_fkey FOREIGN KEY (created_by) REFERENCES users (id) ON DELETE SET NULL
      )`);
    // One budget per scope, category (or all spending) and period length; also the lookup a bill change makes.
    await db.query(`CREATE UNIQUE INDEX budgets_scope_key ON budgets (group_id, user_id, category_id, period) NULLS NOT DISTINCT`);

    await db.query(`
      CREATE TABLE budget_alerts (
        budget_id uuid NOT NULL,
        period_start date NOT NULL,
        threshold smallint NOT NULL,
        raised_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_budget_alerts" PRIMARY KEY (budget_id, period_start, threshold),
        CONSTRAINT budget_alerts_threshold_known CHECK (threshold IN (80, 100)),
        CONSTRAINT budget_alerts_budget_id_fkey FOREIGN KEY (budget_id) REFERENCES budgets (id) ON DELETE CASCADE
      )`);

    for (const table of ['budgets', 'budget_alerts']) await db.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    // Personal budgets: the owner. Group budgets: every member reads them, admins change them.
    await db.query(`CREATE POLICY budgets_read ON budgets FOR SELECT
      USING (user_id = app_user_id() OR group_id IN (SELECT app_groups_with_role(NULL)))`);
    await db.query(`CREATE POLICY budgets_write ON budgets FOR ALL
      USING (user_id = app_user_id() OR group_id IN (SELECT app_groups_with_role('admin')))
      WITH CHECK (user_id = app_user_id() OR group_id IN (SELECT app_groups_with_role('admin')))`);
    // Alerts are only ever added: an alert changed or removed would fire again or never.
    await db.query(`REVOKE UPDATE, DELETE ON budget_alerts FROM ${APP_ROLE}`);
    // Any member's bill may cross a group budget's threshold, so alerts follow the budget being visible.
    await db.query(`CREATE POLICY budget_alerts_follow_budget ON budget_alerts
      USING (EXISTS (SELECT 1 FROM budgets b WHERE b.id = budget_id))
      WITH CHECK (EXISTS (SELECT 1 FROM budgets b WHERE b.id = budget_id))`);

    // What a budget's scope spent over some days, from the insights rollup. A group budget counts
    // every member's bills, so members of a group that hides bills see that total (and only it).
    await db.query(`
      CREATE FUNCTION app_budget_spent(p_budget uuid, p_from date, p_to date) RETURNS bigint
      LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        v_budget budgets%ROWTYPE;
      BEGIN
        SELECT * INTO v_budget FROM budgets
         WHERE id = p_budget AND (user_id = app_user_id() OR group_id IN (SELECT app_groups_with_role(NULL)));
        IF NOT FOUND THEN RETURN NULL; END IF;
        IF v_budget.group_id IS NOT NULL THEN
          RETURN (SELECT coalesce(sum(total_base_minor), 0) FROM spend_daily
                   WHERE group_id = v_budget.group_id AND day BETWEEN p_from AND p_to
                     AND (v_budget.category_id IS NULL OR category_id = v_budget.category_id));
        END IF;
        RETURN (SELECT coalesce(sum(total_base_minor), 0) FROM spend_daily
                 WHERE group_id IS NULL AND user_id = v_budget.user_id AND day BETWEEN p_from AND p_to
                   AND (v_budget.category_id IS NULL OR category_id = v_budget.category_id));
      END $$`);
    await db.query(`GRANT EXECUTE ON FUNCTION app_budget_spent(uuid, date, date) TO ${APP_ROLE}`);

    await db.query(`CREATE TRIGGER budgets_audit AFTER INSERT OR UPDATE OR DELETE ON budgets FOR EACH ROW EXECUTE FUNCTION audit_row_change('budget')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER budgets_audit ON budgets`);
    await db.query(`DROP FUNCTION app_budget_spent(uuid, date, date)`);
    await db.query(`DROP TABLE budget_alerts`);
    await db.query(`DROP TABLE budgets`);
  }
}
