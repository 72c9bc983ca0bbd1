import type { UnitOfWork } from '../../platform/database';
import { applyBillFilter, BillEntity, CategoryEntity, type BillFilter } from '../bills';
import type { Interval } from './periods';

/** Who asks, and what they may see of the scope. */
export interface Viewer {
  timeZone: string;
  /** The scope's base currency. */
  currency: string;
  groupId: string | null;
  /** Whether the viewer sees every bill of the scope, not only their own. */
  seesAll: boolean;
}

/** Which rollup rows to read. */
export interface RollupSlice {
  groupId: string | null;
  /** The spender: the owner for personal scope; for a group, narrows to one member's bills. */
  userId?: string;
  categoryId?: string;
}

export interface SpendRow {
  /** The start of the period; null when the rows were not split by period. */
  period: string | null;
  categoryId: string | null;
  totalMinor: bigint;
  count: number;
}

// Weeks start on Monday (ISO), as PostgreSQL's date_trunc has them.
const periodOf = (column: string, interval: Interval | undefined) =>
  interval ? `date_trunc('${interval}', ${column}::timestamp)::date::text` : 'NULL::text';

/** A bill as anomaly detection sees it: its amount in the scope's base currency, its category and payee. */
export interface BillAmount {
  id: string;
  title: string;
  spentOn: string;
  baseMinor: bigint;
  categoryId: string | null;
  /** Null for uncategorised bills. */
  categoryName: string | null;
  payee: string | null;
}

type RawRow = { period: string | null; categoryId: string | null; total: string; count: number };

const toRows = (rows: RawRow[]): SpendRow[] =>
  rows.map((row) => ({ period: row.period, categoryId: row.categoryId, totalMinor: BigInt(row.total), count: Number(row.count) }));

export class InsightsRepository {
  constructor(private readonly transactions: UnitOfWork) {}

  private get manager() {
    return this.transactions.manager();
  }

  /** The viewer of the user's personal scope, or of a group they belong to; undefined for any other group. */
  async viewer(userId: string, groupId: string | undefined): Promise<Viewer | undefined> {
    if (!groupId) {
      const [user] = await this.manager.query<Array<{ currency: string; time_zone: string }>>(`SELECT currency, time_zone FROM users WHERE id = $1`, [userId]);
      return user && { timeZone: user.time_zone, currency: user.currency, groupId: null, seesAll: true };
    }
    const [row] = await this.manager.query<Array<{ time_zone: string; base_currency: string; role: string; members_see_all_bills: boolean }>>(
      `SELECT u.time_zone, g.base_currency, m.role, g.members_see_all_bills
         FROM users u JOIN memberships m ON m.user_id = u.id AND m.group_id = $2 JOIN groups g ON g.id = m.group_id
        WHERE u.id = $1`,
      [userId, groupId],
    );
    return row && { timeZone: row.time_zone, currency: row.base_currency, groupId, seesAll: row.role === 'admin' || row.members_see_all_bills };
  }

  /** Sums from the daily rollup, by category (and period): cost follows days × categories, not bills. */
  async rollup(slice: RollupSlice, from: string, to: string, interval?: Interval): Promise<SpendRow[]> {
    const conditions = ['day BETWEEN $1 AND $2'];
    const parameters: unknown[] = [from, to];
    const where = (condition: string, value: unknown) => {
      parameters.push(value);
      conditions.push(condition.replace('?', `$${parameters.length}`));
    };
    if (slice.groupId) where('group_id = ?', slice.groupId);
    else conditions.push('group_id IS NULL');
    if (slice.userId) where('user_id = ?', slice.userId);
    if (slice.categoryId) where('category_id = ?', slice.categoryId);
    const rows = await this.manager.query<RawRow[]>(
      `SELECT ${periodOf('day', interval)} AS period, category_id AS "categoryId", sum(total_base_minor)::text AS total, sum(bill_count)::int AS count
         FROM spend_daily WHERE ${conditions.join(' AND ')} GROUP BY 1, 2`,
      parameters,
    );
    return toRows(rows);
  }

  /** Sums straight from the bills, for filters the rollup cannot answer (tags, search, amounts). */
  async bills(filter: BillFilter, from: string, to: string, interval?: Interval): Promise<SpendRow[]> {
    const rows = await applyBillFilter(this.manager.getRepository(BillEntity).createQueryBuilder('b'), filter)
      .andWhere('b.spent_on BETWEEN :fromDay AND :toDay', { fromDay: from, toDay: to })
      .select(periodOf('b.spent_on', interval), 'period')
      .addSelect('b.category_id', 'categoryId')
      .addSelect('sum(b.base_amount_minor)::text', 'total')
      .addSelect('count(*)::int', 'count')
      .groupBy('1')
      .addGroupBy('2')
      .getRawMany<RawRow>();
    return toRows(rows);
  }

  /** The newest `limit` bills of the filter spent on the days. */
  async newestBills(filter: BillFilter, from: string, to: string, limit: number): Promise<BillAmount[]> {
    const rows = await applyBillFilter(this.manager.getRepository(BillEntity).createQueryBuilder('b'), filter)
      .andWhere('b.spent_on BETWEEN :fromDay AND :toDay', { fromDay: from, toDay: to })
      .leftJoin(CategoryEntity, 'c', 'c.id = b.category_id')
      .select('b.id', 'id')
      .addSelect('b.title', 'title')
      .addSelect('b.spent_on::text', 'spentOn')
      .addSelect('b.base_amount_minor::text', 'baseMinor')
      .addSelect('b.category_id', 'categoryId')
      .addSelect('c.name::text', 'categoryName')
      .addSelect('b.payee', 'payee')
      .orderBy('b.spent_at', 'DESC')
      .addOrderBy('b.id', 'DESC')
      .limit(limit)
      .getRawMany<Omit<BillAmount, 'baseMinor'> & { baseMinor: string }>();
    return rows.map((row) => ({ ...row, baseMinor: BigInt(row.baseMinor) }));
  }

  /** The whole group's spending over the days, for members who see only their own bills. */
  async groupTotal(groupId: string, from: string, to: string): Promise<bigint> {
    const [row] = await this.manager.query<Array<{ total: string }>>(
      `SELECT coalesce(sum(total_base_minor), 0)::text AS total FROM app_group_daily_totals($1, $2, $3)`,
      [groupId, from, to],
    );
    return BigInt(row?.total ?? '0');
  }
}
