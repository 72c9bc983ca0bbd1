import type { UnitOfWork } from '../../platform/database';
import type { BillChange } from '../bills';
import { BudgetEntity, type BudgetPeriod, type BudgetThreshold } from './budgets.entity';

/** The scope a budget belongs to, as the current user sees it. */
export interface BudgetScope {
  groupId: string | null;
  userId: string | null;
  currency: string;
  /** Where the scope's periods start and end: the group's time zone, or the user's for personal budgets. */
  timeZone: string;
  isAdmin: boolean;
}

export interface BudgetRow {
  id: string;
  groupId: string | null;
  userId: string | null;
  categoryId: string | null;
  period: BudgetPeriod;
  amountMinor: bigint;
  currency: string;
  /** Its scope's time zone (see BudgetScope). */
  timeZone: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface WithSpent {
  periodStart: string;
  periodEnd: string;
  spentMinor: bigint;
}

export type Periods = Record<BudgetPeriod, { start: string; end: string }>;

interface RawBudget {
  id: string;
  group_id: string | null;
  user_id: string | null;
  category_id: string | null;
  period: BudgetPeriod;
  amount_minor: string;
  currency: string;
  time_zone: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `b.id, b.group_id, b.user_id, b.category_id, b.period, b.amount_minor::text AS amount_minor,
  coalesce(g.base_currency, u.currency) AS currency, coalesce(g.time_zone, u.time_zone) AS time_zone, b.created_at, b.updated_at`;
const FROM = `budgets b LEFT JOIN groups g ON g.id = b.group_id LEFT JOIN users u ON u.id = b.user_id`;

const toRow = (raw: RawBudget): BudgetRow => ({
  id: raw.id,
  groupId: raw.group_id,
  userId: raw.user_id,
  categoryId: raw.category_id,
  period: raw.period,
  amountMinor: BigInt(raw.amount_minor),
  currency: raw.currency,
  timeZone: raw.time_zone,
  createdAt: raw.created_at,
  updatedAt: raw.updated_at,
});

export class BudgetsRepository {
  constructor(private readonly transactions: UnitOfWork) {}

  private get manager() {
    return this.transactions.manager();
  }

  /** The user's personal scope, or a group they belong to; undefined for any other group. */
  async scope(userId: string, groupId: string | undefined): Promise<BudgetScope | undefined> {
    if (!groupId) {
      const [user] = await this.manager.query<Array<{ currency: string; time_zone: string }>>(`SELECT currency, time_zone FROM users WHERE id = $1`, [userId]);
      return user && { groupId: null, userId, currency: user.currency, timeZone: user.time_zone, isAdmin: true };
    }
    const [row] = await this.manager.query<Array<{ base_currency: string; time_zone: string; role: string }>>(
      `SELECT g.base_currency, g.time_zone, m.role FROM memberships m JOIN groups g ON g.id = m.group_id WHERE m.user_id = $1 AND m.group_id = $2`,
      [userId, groupId],
    );
    return row && { groupId, userId: null, currency: row.base_currency, timeZone: row.time_zone, isAdmin: row.role === 'admin' };
  }

  async categoryInScope(categoryId: string, scope: { groupId: string | null; userId: string | null }): Promise<boolean> {
    const rows = await this.manager.query<unknown[]>(`SELECT 1 FROM categories WHERE id = $1 AND (user_id = $2 OR group_id = $3)`, [categoryId, scope.userId, scope.groupId]);
    return rows.length > 0;
  }

  async insert(budget: Pick<BudgetEntity, 'id' | 'groupId' | 'userId' | 'categoryId' | 'period' | 'amountMinor' | 'createdBy'>): Promise<void> {
    await this.manager.getRepository(BudgetEntity).insert(budget);
  }

  async update(id: string, changes: Partial<Pick<BudgetEntity, 'categoryId' | 'period' | 'amountMinor'>>): Promise<void> {
    await this.manager.getRepository(BudgetEntity).update({ id }, changes);
  }

  /** Deletes the budget if the current user may; false when row-level security kept it out of reach. */
  async delete(id: string): Promise<boolean> {
    const result = await this.manager.getRepository(BudgetEntity).delete({ id });
    return (result.affected ?? 0) > 0;
  }

  /** The budget, if the current user may see it. */
  async find(id: string): Promise<BudgetRow | undefined> {
    const [raw] = await this.manager.query<RawBudget[]>(`SELECT ${COLUMNS} FROM ${FROM} WHERE b.id = $1`, [id]);
    return raw && toRow(raw);
  }

  /** A scope's budgets (or one of them) with what was spent in the period of each that the periods give. */
  async listWithSpent(scope: { groupId: string | null; userId: string | null }, periods: Periods, id?: string): Promise<Array<BudgetRow & WithSpent>> {
    const rows = await this.manager.query<Array<RawBudget & { period_start: string; period_end: string; spent: string }>>(
      `SELECT ${COLUMNS}, p.period_start::text, p.period_end::text, app_budget_spent(b.id, p.period_start, p.period_end)::text AS spent
         FROM ${FROM}
         CROSS JOIN LATERAL (SELECT CASE b.period WHEN 'month' THEN $2::date ELSE $4::date END AS period_start,
                                    CASE b.period WHEN 'month' THEN $3::date ELSE $5::date END AS period_end) p
        WHERE ${scope.groupId ? 'b.group_id = $1' : 'b.group_id IS NULL AND b.user_id = $1'} AND ($6::uuid IS NULL OR b.id = $6)
        ORDER BY b.created_at, b.id`,
      [scope.groupId ?? scope.userId, periods.month.start, periods.month.end, periods.week.start, periods.week.end, id ?? null],
    );
    return rows.map((raw) => ({ ...toRow(raw), periodStart: raw.period_start, periodEnd: raw.period_end, spentMinor: BigInt(raw.spent) }));
  }

  /**
   * The budgets a bill change may move: of its scope, on one of its categories or on all spending.
   * Every bill write asks, and most scopes have no budget: the lookup is the function
   * `budgets_affected_by`, planned once per connection (migration `1795561900000-BudgetsAffectedBy`
   * has what planning it each time cost), and the query joined for their currency, planned anew each
   * time, runs only when there is something to read.
   */
  async affectedBy(change: BillChange): Promise<BudgetRow[]> {
    const categories = change.categoryIds.filter((id): id is string => id !== null);
    const affected = await this.manager.query<Array<{ id: string }>>(`SELECT id FROM budgets_affected_by($1, $2, $3) AS id`, [change.groupId, change.userId, categories]);
    if (affected.length === 0) return [];
    const rows = await this.manager.query<RawBudget[]>(`SELECT ${COLUMNS} FROM ${FROM} WHERE b.id = ANY($1::uuid[])`, [affected.map((budget) => budget.id)]);
    return rows.map(toRow);
  }

  /**
   * Serialises threshold checks per budget until the transaction ends: two bills committed at once
   * could otherwise each see only their own addition and both miss the crossing they make together.
   */
  async lockForAlerts(budgetIds: string[]): Promise<void> {
    await this.transactions
      .manager()
      .query(`SELECT pg_advisory_xact_lock(hashtextextended(id::text, 0)) FROM unnest($1::uuid[]) AS id ORDER BY id`, [budgetIds]);
  }

  /** What the budget's scope spent on its category over the days (the whole group for a group budget). */
  async spent(budgetId: string, from: string, to: string): Promise<bigint> {
    const [row] = await this.manager.query<Array<{ spent: string | null }>>(`SELECT app_budget_spent($1, $2, $3)::text AS spent`, [budgetId, from, to]);
    return BigInt(row?.spent ?? '0');
  }

  /** Records that the budget crossed the threshold in the period; false when that was recorded before. */
  async recordAlert(budgetId: string, periodStart: string, threshold: BudgetThreshold): Promise<boolean> {
    const rows = await this.manager.query<unknown[]>(
      `INSERT INTO budget_alerts (budget_id, period_start, threshold) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING budget_id`,
      [budgetId, periodStart, threshold],
    );
    return rows.length > 0;
  }
}
