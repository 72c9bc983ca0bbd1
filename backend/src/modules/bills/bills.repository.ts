import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { withOutbox, type SealedEvent } from '../../platform/bus';
import type { UnitOfWork } from '../../platform/database';
import { BillChangeEntity, BillEntity, BillParticipantEntity } from './bills.entity';

export interface ActorContext {
  currency: string;
  timeZone: string;
  group?: { baseCurrency: string; isAdmin: boolean; membersSeeAllBills: boolean };
  /** Whether the category asked about belongs to the scope (the group's, or the user's own when personal). */
  categoryInScope: boolean;
}

export type BillRow = BillEntity & { participants: BillParticipantEntity[]; baseCurrency: string };

export interface BillFilter {
  groupId?: string;
  userId?: string;
  categoryId?: string;
  tag?: string;
  memberId?: string;
  from?: Date;
  to?: Date;
  minBaseMinor?: bigint;
  maxBaseMinor?: bigint;
  q?: string;
}

export interface FilterTotals {
  count: number;
  sumBaseMinor: string;
}

/** Totals as seen by one statement: `snapshot` is its PostgreSQL snapshot (`pg_snapshot` as text). */
export interface TotalsAsOf extends FilterTotals {
  snapshot: string;
}

export type SortColumn = 'spent_at' | 'base_amount_minor' | 'title';

export interface PageRequest {
  filter: BillFilter;
  column: SortColumn;
  descending: boolean;
  limit: number;
  /** The sort value and id of the last row of the previous page. */
  after?: { value: string; id: string };
}

/** Escapes LIKE wildcards so a search for "50%" looks for those characters. */
function likePattern(q: string): string {
  return `%${q.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_')}%`;
}

/** search_text() of title, payee and notes, stored by a trigger (bills_search_document). */
const SEARCHABLE = 'b.search_document';

/**
 * Narrows a query on bills `b` (or on `bill_changes`, which names the filtered columns alike) to the
 * filter; row-level security adds who may see what on top.
 */
export function applyFilter<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, filter: BillFilter): SelectQueryBuilder<T> {
  if (filter.groupId) query.andWhere('b.group_id = :groupId', { groupId: filter.groupId });
  if (filter.userId) query.andWhere('b.user_id = :userId', { userId: filter.userId });
  if (filter.categoryId) query.andWhere('b.category_id = :categoryId', { categoryId: filter.categoryId });
  if (filter.tag) query.andWhere('b.tags @> ARRAY[:tag]::text[]', { tag: filter.tag });
  if (filter.memberId) query.andWhere('b.created_by = :memberId', { memberId: filter.memberId });
  if (filter.from) query.andWhere('b.spent_at >= :from', { from: filter.from });
  if (filter.to) query.andWhere('b.spent_at < :to', { to: filter.to });
  if (filter.minBaseMinor !== undefined) query.andWhere('b.base_amount_minor >= :minBase', { minBase: filter.minBaseMinor.toString() });
  if (filter.maxBaseMinor !== undefined) query.andWhere('b.base_amount_minor <= :maxBase', { maxBase: filter.maxBaseMinor.toString() });
  if (filter.q) query.andWhere(`${SEARCHABLE} LIKE search_text(:pattern)`, { pattern: likePattern(filter.q) });
  return query;
}

export class BillsRepository {
  constructor(private readonly transactions: UnitOfWork) {}

  private get manager() {
    return this.transactions.manager();
  }

  /** The base currency of a group the current user belongs to; undefined for any other group. */
  async groupBaseCurrency(groupId: string): Promise<string | undefined> {
    const [row] = await this.manager.query<Array<{ base_currency: string }>>(`SELECT base_currency FROM groups WHERE id = $1`, [groupId]);
    return row?.base_currency;
  }

  /**
   * In one call (a bill write is a handful of round trips, each one counts): the user's own
   * defaults; for a group, their role and the group's settings (`group` undefined when they are not a
   * member); and whether `categoryId` may be used in that scope. The query is the function
   * `bill_actor_context` (migration BillActorContext), which PostgreSQL plans once per connection.
   */
  async actorContext(userId: string, groupId: string | null, categoryId: string | null = null): Promise<ActorContext> {
    const [row] = await this.manager.query<Array<{ currency: string; time_zone: string; base_currency: string | null; role: string | null; members_see_all_bills: boolean | null; category_in_scope: boolean }>>(
      `SELECT * FROM bill_actor_context($1, $2, $3)`,
      [userId, groupId, categoryId],
    );
    if (!row) throw new Error('the signed-in user has no row');
    return {
      currency: row.currency,
      timeZone: row.time_zone,
      group: row.role && row.base_currency ? { baseCurrency: row.base_currency, isAdmin: row.role === 'admin', membersSeeAllBills: row.members_see_all_bills ?? false } : undefined,
      categoryInScope: row.category_in_scope,
    };
  }

  async memberIds(groupId: string): Promise<string[]> {
    const rows = await this.manager.query<Array<{ user_id: string }>>(`SELECT user_id FROM memberships WHERE group_id = $1`, [groupId]);
    return rows.map((row) => row.user_id);
  }

  async userSettings(userId: string): Promise<{ currency: string; timeZone: string }> {
    const [row] = await this.manager.query<Array<{ currency: string; time_zone: string }>>(`SELECT currency, time_zone FROM users WHERE id = $1`, [userId]);
    if (!row) throw new Error('the signed-in user has no row');
    return { currency: row.currency, timeZone: row.time_zone };
  }

  /** The newest uploaded rate on or before the day, from the scope's own table. */
  async uploadedRate(scope: { groupId: string | null; userId: string | null }, currency: string, base: string, day: string): Promise<string | undefined> {
    const [row] = await this.manager.query<Array<{ rate: string }>>(
      `SELECT rate::text FROM exchange_rates
        WHERE (group_id = $1 OR user_id = $2) AND currency = $3 AND base_currency = $4 AND valid_on <= $5
        ORDER BY valid_on DESC LIMIT 1`,
      [scope.groupId, scope.userId, currency, base, day],
    );
    return row?.rate;
  }

  /**
   * Inserts a new bill with its staged events, and its participants. Plain SQL in one statement: this
   * is the hottest write path, and each round trip, like TypeORM's insert builder, costs more than the
   * work it carries.
   */
  async insert(bill: BillEntity, participants: Array<Omit<BillParticipantEntity, 'billId'>>, events: SealedEvent[]): Promise<BillEntity & { participants: BillParticipantEntity[] }> {
    const { sql, parameters } = withOutbox(
      `INSERT INTO bills (id, user_id, group_id, created_by, title, amount_minor, currency, exchange_rate, base_amount_minor, spent_at, time_zone, spent_on, category_id, tags, payee, notes, split_kind, version, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
      [bill.id, bill.userId, bill.groupId, bill.createdBy, bill.title, bill.amountMinor, bill.currency, bill.exchangeRate, bill.baseAmountMinor, bill.spentAt, bill.timeZone, bill.spentOn, bill.categoryId, bill.tags, bill.payee, bill.notes, bill.splitKind, bill.version, bill.createdAt, bill.updatedAt],
      events,
    );
    await this.manager.query(sql, parameters);
    const rows = participants.map((participant) => ({ ...participant, billId: bill.id }));
    if (rows.length > 0) await this.manager.getRepository(BillParticipantEntity).insert(rows);
    return { ...bill, participants: rows };
  }

  async replaceParticipants(billId: string, participants: Array<Omit<BillParticipantEntity, 'billId'>>): Promise<void> {
    const repository = this.manager.getRepository(BillParticipantEntity);
    await repository.delete({ billId });
    if (participants.length > 0) await repository.insert(participants.map((participant) => ({ ...participant, billId })));
  }

  /** The bill with its participants and its scope's base currency, if the current user may see it. */
  async find(id: string): Promise<BillRow | undefined> {
    const bill = await this.manager.getRepository(BillEntity).findOneBy({ id });
    if (!bill) return undefined;
    const participants = await this.manager.getRepository(BillParticipantEntity).find({ where: { billId: id }, order: { userId: 'ASC' } });
    const baseCurrency = bill.groupId ? await this.groupBaseCurrency(bill.groupId) : (await this.userSettings(bill.userId!)).currency;
    return Object.assign(bill, { participants, baseCurrency: baseCurrency ?? bill.currency });
  }

  /** Applies the changes if the bill is still at `version`; false when it moved on meanwhile. */
  async update(id: string, version: number, changes: Partial<BillEntity>): Promise<boolean> {
    const result = await this.manager.getRepository(BillEntity).update({ id, version }, { ...changes, version: () => 'version + 1' });
    return (result.affected ?? 0) > 0;
  }

  /** Deletes the bill if the current user may; false when row-level security kept it out of reach. */
  async delete(id: string): Promise<boolean> {
    const result = await this.manager.getRepository(BillEntity).delete({ id });
    return (result.affected ?? 0) > 0;
  }

  /** The count and base-currency sum of the whole filtered set, and the snapshot they were counted in. */
  async totals(filter: BillFilter): Promise<TotalsAsOf> {
    return totalsOf(applyFilter(this.manager.getRepository(BillEntity).createQueryBuilder('b'), filter), 'count(*)', 'b.base_amount_minor');
  }

  /**
   * What the bill changes committed since `snapshot` (and seen by this statement's snapshot, returned)
   * did to the filter's totals: the sum of the journalled versions that snapshot did not see, removed
   * ones negative. Only rows written after the snapshot's oldest running transaction are read.
   */
  async totalsChangedSince(filter: BillFilter, snapshot: string): Promise<TotalsAsOf> {
    const changes = applyFilter(this.manager.getRepository(BillChangeEntity).createQueryBuilder('b'), filter)
      .andWhere('b.xid >= pg_snapshot_xmin(CAST(:snapshot AS pg_snapshot))::text::bigint')
      .andWhere('NOT pg_visible_in_snapshot(b.xid::text::xid8, CAST(:snapshot AS pg_snapshot))', { snapshot });
    return totalsOf(changes, 'sum(b.sign)', 'b.sign * b.base_amount_minor');
  }

  /** Forgets journalled changes older than any cached total can be; returns how many. */
  async pruneChanges(keptSeconds: number): Promise<number> {
    const [row] = await this.manager.query<Array<{ deleted: number }>>(`SELECT app_prune_bill_changes($1) AS deleted`, [keptSeconds]);
    return row?.deleted ?? 0;
  }

  /** One page in keyset order. */
  async page(request: PageRequest): Promise<BillEntity[]> {
    const filtered = applyFilter(this.manager.getRepository(BillEntity).createQueryBuilder('b'), request.filter);
    const direction = request.descending ? 'DESC' : 'ASC';
    if (request.after) {
      filtered.andWhere(`(b.${request.column}, b.id) ${request.descending ? '<' : '>'} (:afterValue, :afterId)`, { afterValue: request.after.value, afterId: request.after.id });
    }
    // A page should walk the index that is in sort order and stop after `limit` rows. Under row-level
    // security the planner cannot estimate how many rows a text search keeps (LIKE is not leakproof),
    // guesses almost none, and so prefers reading every row of the category and sorting them: 0.8 s
    // instead of 30 ms at a million bills. Transaction-local, so nothing else is affected.
    await this.manager.query(`SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)`);
    return filtered.orderBy(`b.${request.column}`, direction).addOrderBy('b.id', direction).limit(request.limit).getMany();
  }

  async participantsOf(billIds: string[]): Promise<BillParticipantEntity[]> {
    if (billIds.length === 0) return [];
    return this.manager.getRepository(BillParticipantEntity).createQueryBuilder('p').where('p.bill_id = ANY(:ids)', { ids: billIds }).orderBy('p.user_id').getMany();
  }
}

async function totalsOf<T extends ObjectLiteral>(query: SelectQueryBuilder<T>, count: string, amount: string): Promise<TotalsAsOf> {
  const row = await query
    .select(`coalesce(${count}, 0)::int`, 'count')
    .addSelect(`coalesce(sum(${amount}), 0)::text`, 'sum')
    .addSelect('pg_current_snapshot()::text', 'snapshot')
    .getRawOne<{ count: number; sum: string; snapshot: string }>();
  return { count: row!.count, sumBaseMinor: row!.sum, snapshot: row!.snapshot };
}
