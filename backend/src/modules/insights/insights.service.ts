import { createHash } from 'node:crypto';
import type { Cache } from '../../platform/cache';
import type { Transactions } from '../../platform/database';
import { ValidationFailed } from '../../platform/http';
import { fromMinor, toMinor } from '../../platform/money';
import type { BillChange, BillChangeListener, BillFilter } from '../bills';
import { GroupNotFound } from '../groups';
import type { InsightsRepository, RollupSlice, SpendRow, Viewer } from './insights.repository';
import { addDays, daysBetween, periodOf, periodStarts, previousPeriod, shiftPeriod, today, type Interval } from './periods';

export interface SummaryQuery {
  groupId?: string;
  from?: string;
  to?: string;
}

export interface SpendingQuery {
  groupId?: string;
  categoryId?: string;
  tag?: string;
  memberId?: string;
  q?: string;
  from?: string;
  to?: string;
  minAmount?: string;
  maxAmount?: string;
  interval: Interval;
}

/** "all": every bill of the scope; "own": a member of a group that hides bills sees their own. */
export type Visibility = 'all' | 'own';

export interface SummaryView {
  groupId: string | null;
  currency: string;
  visibility: Visibility;
  from: string;
  to: string;
  total: string;
  count: number;
  byCategory: Array<{ categoryId: string | null; amount: string; count: number; previousAmount: string }>;
  previous: { from: string; to: string; total: string; count: number };
  change: { amount: string; percent: number | null };
  /** The whole group's spending, for members who see only their own bills; null otherwise. */
  groupTotal: { total: string; previousTotal: string } | null;
}

export interface SeriesPoint {
  start: string;
  amount: string;
  count: number;
}

export interface SpendingView {
  groupId: string | null;
  currency: string;
  visibility: Visibility;
  interval: Interval;
  from: string;
  to: string;
  periods: string[];
  total: { amount: string; count: number; series: SeriesPoint[] };
  categories: Array<{ categoryId: string | null; amount: string; count: number; series: SeriesPoint[] }>;
}

/** How many periods one series may have (four years of days). */
export const MAX_PERIODS = 1500;
/** Periods a series covers when `from` is not given. */
const DEFAULT_PERIODS: Record<Interval, number> = { day: 30, week: 12, month: 12 };
const CACHE_TTL_SECONDS = 600;

const sum = (rows: SpendRow[]) => rows.reduce((total, row) => ({ minor: total.minor + row.totalMinor, count: total.count + row.count }), { minor: 0n, count: 0 });

function percentChange(current: bigint, previous: bigint): number | null {
  if (previous === 0n) return null;
  return Math.round((Number(current - previous) / Number(previous)) * 1000) / 10;
}

/** Cache keys live in the family of their scope: a new generation retires every answer of the old one. */
const scopeKey = (scope: { groupId: string | null; userId: string | null }) => (scope.groupId ? `g:${scope.groupId}` : `u:${scope.userId}`);
const generationKey = (scope: string) => `insights:generation:${scope}`;

export class InsightsService {
  /** Retires a scope's cached answers once a bill change committed. */
  readonly billListener: BillChangeListener = { afterCommit: (change) => this.invalidate(change) };

  constructor(
    private readonly transactions: Transactions,
    private readonly insights: InsightsRepository,
    private readonly cache: Cache,
    private readonly onCacheError: (error: unknown) => void = () => undefined,
  ) {}

  /** Total spend of a period by category, against the period of the same length before it. */
  summary(userId: string, query: SummaryQuery): Promise<SummaryView> {
    return this.transactions.run({ userId }, async () => {
      const viewer = await this.viewer(userId, query.groupId);
      const now = today(viewer.timeZone);
      const from = query.from ?? periodOf(now, 'month').start;
      const to = query.to ?? (query.from ? now : periodOf(now, 'month').end);
      if (from > to) throw new ValidationFailed([{ field: 'query.to', message: 'must not be before from' }]);
      return this.cached(userId, viewer, 'summary', { from, to }, () => this.computeSummary(userId, viewer, from, to));
    });
  }

  /** Spend per period and category for any bill filter. */
  spending(userId: string, query: SpendingQuery): Promise<SpendingView> {
    return this.transactions.run({ userId }, async () => {
      const viewer = await this.viewer(userId, query.groupId);
      const to = query.to ?? today(viewer.timeZone);
      const from = query.from ?? shiftPeriod(to, query.interval, 1 - DEFAULT_PERIODS[query.interval]).start;
      if (from > to) throw new ValidationFailed([{ field: 'query.to', message: 'must not be before from' }]);
      // A month has at most 31 days: the first test spares listing the periods of an absurd range.
      const periods = daysBetween(from, to) > MAX_PERIODS * 31 ? [] : periodStarts(from, to, query.interval);
      if (periods.length === 0 || periods.length > MAX_PERIODS) throw new ValidationFailed([{ field: 'query.from', message: `the range spans more than ${MAX_PERIODS} ${query.interval}s` }]);
      const normalized = { ...query, from, to };
      return this.cached(userId, viewer, 'spending', normalized, async () => {
        const rows = await this.spendRows(userId, viewer, normalized);
        return this.series(viewer, query.interval, from, to, periods, rows);
      });
    });
  }

  private async viewer(userId: string, groupId: string | undefined): Promise<Viewer> {
    const viewer = await this.insights.viewer(userId, groupId);
    if (!viewer) throw new GroupNotFound();
    return viewer;
  }

  /** What the viewer may read of the rollup: a member of a group that hides bills, only their own rows. */
  private slice(userId: string, viewer: Viewer): RollupSlice {
    if (!viewer.groupId) return { groupId: null, userId };
    return { groupId: viewer.groupId, userId: viewer.seesAll ? undefined : userId };
  }

  private async computeSummary(userId: string, viewer: Viewer, from: string, to: string): Promise<SummaryView> {
    const before = previousPeriod(from, to);
    const slice = this.slice(userId, viewer);
    const current = await this.insights.rollup(slice, from, to);
    const previous = await this.insights.rollup(slice, before.start, before.end);
    const money = (minor: bigint) => fromMinor(minor, viewer.currency);

    const categories = new Map<string | null, { amount: bigint; count: number; previous: bigint }>();
    const entry = (categoryId: string | null) => categories.get(categoryId) ?? categories.set(categoryId, { amount: 0n, count: 0, previous: 0n }).get(categoryId)!;
    for (const row of current) Object.assign(entry(row.categoryId), { amount: row.totalMinor, count: row.count });
    for (const row of previous) entry(row.categoryId).previous = row.totalMinor;

    const total = sum(current);
    const previousTotal = sum(previous);
    const hidesOthers = viewer.groupId !== null && !viewer.seesAll;
    return {
      groupId: viewer.groupId,
      currency: viewer.currency,
      visibility: viewer.seesAll ? 'all' : 'own',
      from,
      to,
      total: money(total.minor),
      count: total.count,
      byCategory: [...categories]
        .sort(([a, x], [b, y]) => (x.amount === y.amount ? String(a).localeCompare(String(b)) : x.amount > y.amount ? -1 : 1))
        .map(([categoryId, figures]) => ({ categoryId, amount: money(figures.amount), count: figures.count, previousAmount: money(figures.previous) })),
      previous: { from: before.start, to: before.end, total: money(previousTotal.minor), count: previousTotal.count },
      change: { amount: money(total.minor - previousTotal.minor), percent: percentChange(total.minor, previousTotal.minor) },
      groupTotal: hidesOthers
        ? {
            total: money(await this.insights.groupTotal(viewer.groupId!, from, to)),
            previousTotal: money(await this.insights.groupTotal(viewer.groupId!, before.start, before.end)),
          }
        : null,
    };
  }

  /**
   * Filters on scope, category, member and dates read the rollup; tags, search and amount bounds
   * need the bills themselves, filtered exactly as the bill listing filters them.
   */
  private async spendRows(userId: string, viewer: Viewer, query: SpendingQuery & { from: string; to: string }): Promise<SpendRow[]> {
    // As in the bill listing: a member of a group that hides bills asking for another member gets nothing.
    if (!viewer.seesAll && query.memberId && query.memberId !== userId) return [];
    const memberId = viewer.seesAll ? query.memberId : userId;
    if (query.tag === undefined && query.q === undefined && query.minAmount === undefined && query.maxAmount === undefined) {
      if (viewer.groupId) return this.insights.rollup({ groupId: viewer.groupId, userId: memberId, categoryId: query.categoryId }, query.from, query.to, query.interval);
      // Personal bills are all the owner's: another member id matches none of them.
      if (memberId && memberId !== userId) return [];
      return this.insights.rollup({ groupId: null, userId, categoryId: query.categoryId }, query.from, query.to, query.interval);
    }
    const filter: BillFilter = {
      groupId: viewer.groupId ?? undefined,
      userId: viewer.groupId ? undefined : userId,
      categoryId: query.categoryId,
      tag: query.tag,
      memberId,
      // Days are the bills' own calendar days; these instants hold every such day in any time zone,
      // so the listing's (scope, spent_at) indexes narrow the scan.
      from: new Date(`${addDays(query.from, -1)}T00:00:00Z`),
      to: new Date(`${addDays(query.to, 2)}T00:00:00Z`),
      minBaseMinor: this.baseMinor(query.minAmount, viewer.currency, 'query.minAmount'),
      maxBaseMinor: this.baseMinor(query.maxAmount, viewer.currency, 'query.maxAmount'),
      q: query.q,
    };
    return this.insights.bills(filter, query.from, query.to, query.interval);
  }

  private baseMinor(amount: string | undefined, currency: string, field: string): bigint | undefined {
    if (amount === undefined) return undefined;
    const minor = toMinor(amount, currency);
    if (minor === undefined) throw new ValidationFailed([{ field, message: `must have at most the minor digits of ${currency}` }]);
    return minor;
  }

  private series(viewer: Viewer, interval: Interval, from: string, to: string, periods: string[], rows: SpendRow[]): SpendingView {
    const money = (minor: bigint) => fromMinor(minor, viewer.currency);
    const index = new Map(periods.map((start, position) => [start, position]));
    const empty = () => periods.map(() => ({ minor: 0n, count: 0 }));
    const overall = empty();
    const byCategory = new Map<string | null, ReturnType<typeof empty>>();
    for (const row of rows) {
      const position = index.get(row.period!);
      if (position === undefined) continue;
      const points = byCategory.get(row.categoryId) ?? byCategory.set(row.categoryId, empty()).get(row.categoryId)!;
      for (const point of [points[position]!, overall[position]!]) {
        point.minor += row.totalMinor;
        point.count += row.count;
      }
    }
    const render = (points: ReturnType<typeof empty>) => {
      const total = points.reduce((acc, point) => ({ minor: acc.minor + point.minor, count: acc.count + point.count }), { minor: 0n, count: 0 });
      return { amount: money(total.minor), count: total.count, series: points.map((point, position) => ({ start: periods[position]!, amount: money(point.minor), count: point.count })), minor: total.minor };
    };
    const categories = [...byCategory].map(([categoryId, points]) => ({ categoryId, ...render(points) }));
    categories.sort((a, b) => (a.minor === b.minor ? String(a.categoryId).localeCompare(String(b.categoryId)) : a.minor > b.minor ? -1 : 1));
    const { minor: _total, ...total } = render(overall);
    return {
      groupId: viewer.groupId,
      currency: viewer.currency,
      visibility: viewer.seesAll ? 'all' : 'own',
      interval,
      from,
      to,
      periods,
      total,
      categories: categories.map(({ minor: _minor, ...category }) => category),
    };
  }

  /**
   * Answers from the cache when the scope has not changed since: keys carry the scope's generation,
   * the viewer and what they may see, and the query with its dates resolved in their time zone.
   */
  private async cached<T>(userId: string, viewer: Viewer, kind: string, query: object, compute: () => Promise<T>): Promise<T> {
    const scope = scopeKey({ groupId: viewer.groupId, userId });
    const generation = (await this.cache.get(generationKey(scope))) ?? '0';
    const fingerprint = createHash('sha256').update(JSON.stringify([kind, userId, viewer, query])).digest('base64url');
    const key = `insights:${scope}:${generation}:${fingerprint}`;
    const hit = await this.cache.get(key);
    if (hit !== undefined) return JSON.parse(hit) as T;
    const answer = await compute();
    await this.cache.set(key, JSON.stringify(answer), CACHE_TTL_SECONDS);
    return answer;
  }

  private async invalidate(change: BillChange): Promise<void> {
    try {
      await this.cache.increment(generationKey(scopeKey(change)));
    } catch (error) {
      // The bill is committed; a cache that cannot count serves answers at most CACHE_TTL_SECONDS old.
      this.onCacheError(error);
    }
  }
}
