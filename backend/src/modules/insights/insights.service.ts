import type { ScopedAnswers } from '../../platform/cache';
import type { Transactions } from '../../platform/database';
import { ValidationFailed } from '../../platform/http';
import type { AnomalyVerdict, MlClient, MlUnavailable } from '../../platform/ml';
import { fromMajorUnits, fromMinor, toMajorUnits, toMinor } from '../../platform/money';
import type { BillFilter } from '../bills';
import { GroupNotFound } from '../groups';
import type { BillAmount, InsightsRepository, RollupSlice, SpendRow, Viewer } from './insights.repository';
import { addDays, daysBetween, periodOf, periodStarts, previousPeriod, shiftPeriod, today, type Interval } from './periods';
import { label, type ServingModel } from './serving-model';

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

/** The bill filters forecasts and anomalies take, as the bill listing has them. */
interface BillFilterQuery {
  groupId?: string;
  categoryId?: string;
  tag?: string;
  memberId?: string;
  q?: string;
}

/** The intervals the forecasting model knows. */
export const FORECAST_INTERVALS = ['week', 'month'] as const;
export type ForecastInterval = (typeof FORECAST_INTERVALS)[number];
/** As far ahead as the shipped model forecasts (ml-service refuses more). */
export const MAX_HORIZON = 6;
/** The reason for no forecast when the filter has no spending to forecast from. */
export const NO_HISTORY = 'NO_HISTORY';

export interface ForecastQuery extends BillFilterQuery {
  interval: ForecastInterval;
  horizon: number;
}

export interface AnomaliesQuery extends BillFilterQuery {
  from?: string;
  to?: string;
  limit: number;
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

interface ForecastCommon {
  groupId: string | null;
  currency: string;
  visibility: Visibility;
  interval: ForecastInterval;
  horizon: number;
  history: SeriesPoint[];
}

export type ForecastView =
  | (ForecastCommon & {
      available: true;
      model: { name: string; version: string };
      method: 'model' | 'fallback';
      fallback: string | null;
      periods: Array<{ start: string; p10: string; p50: string; p90: string }>;
    })
  | (ForecastCommon & Omit<MlUnavailable, 'reason'> & { reason: MlUnavailable['reason'] | typeof NO_HISTORY });

export interface UnusualBill {
  billId: string;
  title: string;
  spentOn: string;
  amount: string;
  categoryId: string | null;
  payee: string | null;
  score: number;
  reason: string;
}

interface AnomaliesCommon {
  groupId: string | null;
  currency: string;
  visibility: Visibility;
  from: string;
  to: string;
}

export type AnomaliesView = (AnomaliesCommon & { available: true; judged: number; items: UnusualBill[] }) | (AnomaliesCommon & MlUnavailable);

/** How many periods one series may have (four years of days). */
export const MAX_PERIODS = 1500;
/** Periods a series covers when `from` is not given. */
const DEFAULT_PERIODS: Record<Interval, number> = { day: 30, week: 12, month: 12 };
/** Three years: all the history the model's features read. */
const HISTORY_PERIODS: Record<ForecastInterval, number> = { week: 156, month: 36 };
/** Days of bills judged when `from` is not given. */
const DEFAULT_ANOMALY_DAYS = 30;
/** The bills of the range judged at most, newest first; with the context they stay within one DetectAnomalies call. */
export const MAX_JUDGED = 2_000;
/** What a bill is compared with: the scope's bills of the year before the range, newest first, at most this many. */
const CONTEXT_DAYS = 365;
const MAX_CONTEXT = 8_000;
/** ml-service compares bills within a category; uncategorised bills form one of their own. */
const UNCATEGORISED = { id: 'uncategorised', name: 'Uncategorised' };

const sum = (rows: SpendRow[]) => rows.reduce((total, row) => ({ minor: total.minor + row.totalMinor, count: total.count + row.count }), { minor: 0n, count: 0 });

function percentChange(current: bigint, previous: bigint): number | null {
  if (previous === 0n) return null;
  return Math.round((Number(current - previous) / Number(previous)) * 1000) / 10;
}

const visibility = (viewer: Viewer): Visibility => (viewer.seesAll ? 'all' : 'own');

/**
 * The history from its first period with spending on. Periods before it are not spending of zero
 * but no records yet (a category added last spring): as zeros they would teach the model a jump
 * that never happened.
 */
function sinceFirstSpending(history: SeriesPoint[]): SeriesPoint[] {
  const first = history.findIndex((point) => point.count > 0);
  return first < 0 ? [] : history.slice(first);
}

function anomalyCandidate(bill: BillAmount, currency: string) {
  return {
    id: bill.id,
    amount: toMajorUnits(bill.baseMinor, currency),
    categoryId: bill.categoryId ?? UNCATEGORISED.id,
    categoryName: bill.categoryName ?? UNCATEGORISED.name,
    payee: bill.payee ?? '',
  };
}

/** The judged bills ml-service found unusual, most unusual first. */
function unusualBills(judged: BillAmount[], verdicts: AnomalyVerdict[], limit: number, currency: string): UnusualBill[] {
  const unusual = new Map(verdicts.filter((verdict) => verdict.anomalous).map((verdict) => [verdict.id, verdict]));
  return judged
    .flatMap((bill) => {
      const verdict = unusual.get(bill.id);
      if (!verdict) return [];
      const { id, title, spentOn, categoryId, payee } = bill;
      return [{ billId: id, title, spentOn, amount: fromMinor(bill.baseMinor, currency), categoryId, payee, score: verdict.score, reason: verdict.reason }];
    })
    .sort((a, b) => b.score - a.score || b.spentOn.localeCompare(a.spentOn))
    .slice(0, limit);
}

export class InsightsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly insights: InsightsRepository,
    /** Retired with every committed bill change of the scope (see app.ts). */
    private readonly answers: ScopedAnswers,
    private readonly ml: MlClient,
    private readonly servingModel: ServingModel,
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

  /**
   * The coming periods' spending for any bill filter, forecast by ml-service from the complete
   * periods before. The ml-service call runs outside the transaction, so no database connection
   * waits on it; answers without a forecast are not cached, so forecasts are back when ml-service is.
   * A newly promoted model retires the cached forecasts (see ServingModel).
   */
  async forecast(userId: string, query: ForecastQuery): Promise<ForecastView> {
    const viewer = await this.transactions.run({ userId }, () => this.viewer(userId, query.groupId));
    const { interval, horizon } = query;
    // The current period is not over: the history ends before it, and the forecast starts with it.
    const current = periodOf(today(viewer.timeZone), interval);
    const from = shiftPeriod(current.start, interval, -HISTORY_PERIODS[interval]).start;
    const to = addDays(current.start, -1);
    const normalized = { ...query, from, to };
    const fresh = async (): Promise<ForecastView> => {
      const rows = await this.transactions.run({ userId }, () => this.spendRows(userId, viewer, normalized));
      const history = sinceFirstSpending(this.series(viewer, interval, from, to, periodStarts(from, to, interval), rows).total.series);
      const common = { groupId: viewer.groupId, currency: viewer.currency, visibility: visibility(viewer), interval, horizon, history };
      if (history.length === 0) return { ...common, available: false, reason: NO_HISTORY, message: 'There is no spending to forecast from.' };
      const answer = await this.ml.forecast({ interval, firstPeriod: history[0]!.start, values: history.map((point) => Number(point.amount)) }, horizon);
      if (!answer.available) return { ...common, ...answer };
      const { model, method, fallback, periods } = answer.value;
      const money = (amount: number) => fromMinor(fromMajorUnits(amount, viewer.currency), viewer.currency);
      return { ...common, available: true, model, method, fallback, periods: periods.map(({ start, p10, p50, p90 }) => ({ start, p10: money(p10), p50: money(p50), p90: money(p90) })) };
    };
    const serving = await this.servingModel.announced();
    const byServingModel = (view: ForecastView) => view.available && (serving === undefined || label(view.model) === serving);
    return this.cached(userId, viewer, 'forecast', { ...normalized, serving }, fresh, byServingModel);
  }

  /**
   * The bills of a range whose amount is unusual for their category and payee, judged by ml-service
   * against the scope's bills of the year before. Visibility is the bill listing's.
   */
  async anomalies(userId: string, query: AnomaliesQuery): Promise<AnomaliesView> {
    const viewer = await this.transactions.run({ userId }, () => this.viewer(userId, query.groupId));
    const to = query.to ?? today(viewer.timeZone);
    const from = query.from ?? addDays(to, 1 - DEFAULT_ANOMALY_DAYS);
    if (from > to) throw new ValidationFailed([{ field: 'query.to', message: 'must not be before from' }]);
    const fresh = async (): Promise<AnomaliesView> => {
      const { judged, context } = await this.transactions.run({ userId }, async () => {
        const filter = this.billFilter(userId, viewer, query, from, to);
        if (!filter) return { judged: [], context: [] };
        const contextFrom = addDays(from, -CONTEXT_DAYS);
        // Every bill the viewer may see is context, whatever the filter; asking for no member, they may see some.
        return {
          judged: await this.insights.newestBills(filter, from, to, MAX_JUDGED),
          context: await this.insights.newestBills(this.billFilter(userId, viewer, {}, contextFrom, to)!, contextFrom, to, MAX_CONTEXT),
        };
      });
      const common = { groupId: viewer.groupId, currency: viewer.currency, visibility: visibility(viewer), from, to };
      if (judged.length === 0) return { ...common, available: true, judged: 0, items: [] };
      const bills = new Map([...context, ...judged].map((bill) => [bill.id, bill]));
      const answer = await this.ml.detectAnomalies([...bills.values()].map((bill) => anomalyCandidate(bill, viewer.currency)));
      if (!answer.available) return { ...common, ...answer };
      return { ...common, available: true, judged: judged.length, items: unusualBills(judged, answer.value, query.limit, viewer.currency) };
    };
    return this.cached(userId, viewer, 'anomalies', { ...query, from, to }, fresh, (view) => view.available);
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
      visibility: visibility(viewer),
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
    const filter = this.billFilter(userId, viewer, query, query.from, query.to);
    if (!filter) return [];
    if (query.tag === undefined && query.q === undefined && query.minAmount === undefined && query.maxAmount === undefined) {
      if (viewer.groupId) return this.insights.rollup({ groupId: viewer.groupId, userId: filter.memberId, categoryId: query.categoryId }, query.from, query.to, query.interval);
      // Personal bills are all the owner's: another member id matches none of them.
      if (filter.memberId && filter.memberId !== userId) return [];
      return this.insights.rollup({ groupId: null, userId, categoryId: query.categoryId }, query.from, query.to, query.interval);
    }
    return this.insights.bills(filter, query.from, query.to, query.interval);
  }

  /**
   * The bill listing's filter for the query over the days, as the viewer may see it; undefined when
   * they may see none of it (as in the listing, a member of a group that hides bills asking for
   * another member's).
   */
  private billFilter(userId: string, viewer: Viewer, query: Omit<BillFilterQuery, 'groupId'> & { minAmount?: string; maxAmount?: string }, from: string, to: string): BillFilter | undefined {
    if (!viewer.seesAll && query.memberId && query.memberId !== userId) return undefined;
    return {
      groupId: viewer.groupId ?? undefined,
      userId: viewer.groupId ? undefined : userId,
      categoryId: query.categoryId,
      tag: query.tag,
      memberId: viewer.seesAll ? query.memberId : userId,
      // Days are the bills' own calendar days; these instants hold every such day in any time zone,
      // so the listing's (scope, spent_at) indexes narrow the scan.
      from: new Date(`${addDays(from, -1)}T00:00:00Z`),
      to: new Date(`${addDays(to, 2)}T00:00:00Z`),
      minBaseMinor: this.baseMinor(query.minAmount, viewer.currency, 'query.minAmount'),
      maxBaseMinor: this.baseMinor(query.maxAmount, viewer.currency, 'query.maxAmount'),
      q: query.q,
    };
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
      visibility: visibility(viewer),
      interval,
      from,
      to,
      periods,
      total,
      categories: categories.map(({ minor: _minor, ...category }) => category),
    };
  }

  /** Answers from the cache while the scope is unchanged; the question names the viewer, what they may see, and the query with its dates resolved in their time zone. */
  private cached<T>(userId: string, viewer: Viewer, kind: string, query: object, compute: () => Promise<T>, keep?: (answer: T) => boolean): Promise<T> {
    return this.answers.remember({ groupId: viewer.groupId, userId }, [kind, userId, viewer, query], compute, keep);
  }
}
