import { randomUUID } from 'node:crypto';
import type { EventPayload, EventPublisher } from '../../platform/bus';
import { localDay } from '../../platform/calendar';
import type { Transactions } from '../../platform/database';
import { AppError } from '../../platform/http';
import { fingerprint, type Idempotency } from '../../platform/idempotency';
import { convertMinor, fromMinor, InvalidAmount, toMinor } from '../../platform/money';
import { GroupNotFound } from '../groups';
import type { BillTotals } from './bill-totals';
import type { BillEntity, BillParticipantEntity, SplitKind } from './bills.entity';
import {
  BillNotFound,
  CategoryNotUsable,
  ExchangeRateRequired,
  InvalidCursor,
  SplitInvalid,
  VersionMismatch,
} from './bills.errors';
import type { BillFilter, BillRow, BillsRepository, SortColumn } from './bills.repository';
import { computeShares, type Share } from './splits';

export interface SplitInput {
  kind: SplitKind;
  participants: Array<{ userId: string; amount?: string; percent?: string }>;
}

export interface BillInput {
  title: string;
  amount: string;
  currency?: string;
  exchangeRate?: string;
  spentAt: string;
  timeZone?: string;
  categoryId?: string | null;
  tags: string[];
  payee?: string | null;
  notes?: string | null;
  groupId?: string;
  split?: SplitInput | null;
}

export type BillChangesInput = Partial<Omit<BillInput, 'groupId'>>;

export interface BillView {
  id: string;
  groupId: string | null;
  ownerId: string | null;
  createdBy: string | null;
  title: string;
  amount: string;
  currency: string;
  exchangeRate: string;
  baseAmount: string;
  baseCurrency: string;
  spentAt: string;
  timeZone: string;
  spentOn: string;
  categoryId: string | null;
  tags: string[];
  payee: string | null;
  notes: string | null;
  split: { kind: SplitKind; participants: Array<{ userId: string; amount: string; percent: string | null }> } | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface BillQueryInput {
  groupId?: string;
  categoryId?: string;
  tag?: string;
  memberId?: string;
  from?: string;
  to?: string;
  minAmount?: string;
  maxAmount?: string;
  q?: string;
  sort: '-date' | 'date' | '-amount' | 'amount' | 'title' | '-title';
  limit: number;
  cursor?: string;
}

export interface BillPageView {
  items: BillView[];
  nextCursor: string | null;
  total: { count: number; amount: string; currency: string };
}

/** Which spending a change touched; insights and budgets listen for it. */
export interface BillChange {
  groupId: string | null;
  userId: string | null;
  categoryIds: Array<string | null>;
  days: string[];
}

export interface BillChangeListener {
  /** Inside the bill's transaction (e.g. budget alerts written with it). */
  withinTransaction?(change: BillChange): Promise<void>;
  /** After the transaction committed (e.g. cache invalidation). */
  afterCommit?(change: BillChange): Promise<void>;
}

export class ChangeNotAllowed extends AppError {
  readonly code = 'BILL_CHANGE_NOT_ALLOWED';
  readonly status = 403;
  constructor() {
    super('Only the bill’s creator or a group admin may change or delete it.');
  }
}

const SORTS: Record<BillQueryInput['sort'], { column: SortColumn; descending: boolean }> = {
  '-date': { column: 'spent_at', descending: true },
  date: { column: 'spent_at', descending: false },
  '-amount': { column: 'base_amount_minor', descending: true },
  amount: { column: 'base_amount_minor', descending: false },
  title: { column: 'title', descending: false },
  '-title': { column: 'title', descending: true },
};

function sortValue(bill: BillEntity, column: SortColumn): string {
  if (column === 'spent_at') return bill.spentAt.toISOString();
  return column === 'title' ? bill.title : bill.baseAmountMinor;
}

function encodeCursor(sort: string, value: string, id: string): string {
  return Buffer.from(JSON.stringify([sort, value, id])).toString('base64url');
}

function decodeCursor(cursor: string, sort: string): { value: string; id: string } {
  try {
    const [cursorSort, value, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (cursorSort === sort && typeof value === 'string' && typeof id === 'string') return { value, id };
  } catch {
    // fall through: not a cursor of ours
  }
  throw new InvalidCursor();
}

/** "0.857100000000" → "0.8571": numeric columns come back padded to their scale. */
function trimDecimal(value: string): string {
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value;
}

function toView(bill: BillEntity, participants: BillParticipantEntity[], baseCurrency: string): BillView {
  return {
    id: bill.id,
    groupId: bill.groupId,
    ownerId: bill.userId,
    createdBy: bill.createdBy,
    title: bill.title,
    amount: fromMinor(bill.amountMinor, bill.currency),
    currency: bill.currency,
    exchangeRate: trimDecimal(bill.exchangeRate),
    baseAmount: fromMinor(bill.baseAmountMinor, baseCurrency),
    baseCurrency,
    spentAt: bill.spentAt.toISOString(),
    timeZone: bill.timeZone,
    spentOn: bill.spentOn,
    categoryId: bill.categoryId,
    tags: bill.tags,
    payee: bill.payee,
    notes: bill.notes,
    split: bill.splitKind
      ? { kind: bill.splitKind, participants: participants.map((p) => ({ userId: p.userId, amount: fromMinor(p.shareMinor, bill.currency), percent: p.percent === null ? null : trimDecimal(p.percent) })) }
      : null,
    version: bill.version,
    createdAt: bill.createdAt.toISOString(),
    updatedAt: bill.updatedAt.toISOString(),
  };
}

/** Events of a bill are ordered per group, or per user for personal bills. */
function scopeKey(bill: BillEntity): string {
  return bill.groupId ?? bill.userId ?? '';
}

/** What the bill events carry (proto `spendcast.events.v1.Bill`). */
function billEvent(bill: BillEntity) {
  return {
    billId: bill.id,
    groupId: bill.groupId ?? '',
    userId: bill.userId ?? bill.createdBy ?? '',
    createdBy: bill.createdBy ?? '',
    version: bill.version,
    title: bill.title,
    amount: fromMinor(bill.amountMinor, bill.currency),
    currency: bill.currency,
    spentOn: bill.spentOn,
    categoryId: bill.categoryId ?? '',
  };
}

interface Scope {
  groupId: string | null;
  userId: string | null;
  baseCurrency: string;
}

interface GroupScope extends Scope {
  /** Whether the user may see every bill of the scope, not only their own. */
  seesAll: boolean;
  isAdmin: boolean;
  /** The user's time zone, for bills recorded without one. */
  timeZone: string;
  /** Whether the category the scope was resolved for (see `scope`) may be used in it. */
  categoryInScope: boolean;
}

export class BillsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly bills: BillsRepository,
    private readonly idempotency: Idempotency,
    private readonly events: EventPublisher,
    private readonly totals: BillTotals,
    private readonly listeners: BillChangeListener[] = [],
  ) {}

  /** Records a bill; with an Idempotency-Key, retries of the same request get the same bill. */
  async create(userId: string, input: BillInput, idempotencyKey?: string): Promise<{ bill: BillView; replayed: boolean }> {
    let change: BillChange | undefined;
    const outcome = await this.transactions.run({ userId }, async () => {
      const work = async () => {
        const created = await this.insert(userId, input);
        change = created.change;
        return created.bill;
      };
      if (!idempotencyKey) return { result: await work(), replayed: false };
      return this.idempotency.once(userId, idempotencyKey, fingerprint(input), work);
    });
    if (change) await this.announceCommitted(change);
    return { bill: outcome.result, replayed: outcome.replayed };
  }

  get(userId: string, id: string): Promise<BillView> {
    return this.transactions.run({ userId }, async () => {
      const bill = await this.bills.find(id);
      if (!bill) throw new BillNotFound();
      await this.assertMayView(userId, bill);
      return toView(bill, bill.participants, bill.baseCurrency);
    });
  }

  /** Applies changes if the bill is still at `expectedVersion` (optimistic concurrency). */
  async update(userId: string, id: string, expectedVersion: number, changes: BillChangesInput): Promise<BillView> {
    const result = await this.transactions.run({ userId }, async () => {
      const current = await this.bills.find(id);
      if (!current) throw new BillNotFound();
      await this.assertMayChange(userId, current);
      if (current.version !== expectedVersion) throw new VersionMismatch(current.version);

      const merged = this.merge(current, changes);
      const scope = await this.scope(userId, current.groupId, merged.categoryId);
      const values = await this.resolve(scope, merged);
      // The version is checked again by the UPDATE itself, so a change that lands in between still loses.
      if (!(await this.bills.update(id, expectedVersion, values.bill))) throw new VersionMismatch((await this.bills.find(id))?.version ?? expectedVersion);
      if (changes.split !== undefined || changes.amount !== undefined || changes.currency !== undefined) await this.bills.replaceParticipants(id, values.participants);
      const updated = (await this.bills.find(id))!;
      const change = this.describeChange(scope, [current, updated]);
      await this.publish({ case: 'billUpdated', value: { bill: billEvent(updated), previous: billEvent(current) } }, updated, change);
      return { view: toView(updated, updated.participants, updated.baseCurrency), change };
    });
    await this.announceCommitted(result.change);
    return result.view;
  }

  async delete(userId: string, id: string): Promise<void> {
    const change = await this.transactions.run({ userId }, async () => {
      const current = await this.bills.find(id);
      if (!current) throw new BillNotFound();
      await this.assertMayChange(userId, current);
      if (!(await this.bills.delete(id))) throw new ChangeNotAllowed();
      const described = this.describeChange({ groupId: current.groupId, userId: current.userId, baseCurrency: current.baseCurrency }, [current]);
      await this.publish({ case: 'billDeleted', value: { bill: billEvent(current) } }, current, described);
      return described;
    });
    await this.announceCommitted(change);
  }

  list(userId: string, query: BillQueryInput): Promise<BillPageView> {
    return this.transactions.run({ userId }, async () => {
      const scope = await this.scope(userId, query.groupId);
      const { column, descending } = SORTS[query.sort];
      const toBase = (amount: string | undefined) => {
        if (amount === undefined) return undefined;
        const minor = toMinor(amount, scope.baseCurrency);
        if (minor === undefined) throw new InvalidAmount(scope.baseCurrency);
        return minor;
      };
      if (!scope.seesAll && query.memberId && query.memberId !== userId) return { items: [], nextCursor: null, total: { count: 0, amount: fromMinor(0, scope.baseCurrency), currency: scope.baseCurrency } };
      const filter: BillFilter = {
        groupId: scope.groupId ?? undefined,
        userId: scope.groupId ? undefined : userId,
        categoryId: query.categoryId,
        tag: query.tag,
        // Members of a group that hides bills see only their own.
        memberId: scope.seesAll ? query.memberId : userId,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
        minBaseMinor: toBase(query.minAmount),
        maxBaseMinor: toBase(query.maxAmount),
        q: query.q,
      };
      const rows = await this.bills.page({ filter, column, descending, limit: query.limit, after: query.cursor ? decodeCursor(query.cursor, query.sort) : undefined });
      const totals = await this.totals.of(userId, filter);
      const participants = await this.bills.participantsOf(rows.filter((bill) => bill.splitKind).map((bill) => bill.id));
      const last = rows.at(-1);
      return {
        items: rows.map((bill) => toView(bill, participants.filter((p) => p.billId === bill.id), scope.baseCurrency)),
        nextCursor: last && rows.length === query.limit ? encodeCursor(query.sort, sortValue(last, column), last.id) : null,
        total: { count: totals.count, amount: fromMinor(totals.sumBaseMinor, scope.baseCurrency), currency: scope.baseCurrency },
      };
    });
  }

  /** Forgets the changes that no cached filter total can still need (a scheduled chore). */
  async pruneChangeJournal(): Promise<number> {
    return this.transactions.run({ userId: null }, () => this.totals.prune());
  }

  private async insert(userId: string, input: BillInput): Promise<{ bill: BillView; change: BillChange }> {
    const scope = await this.scope(userId, input.groupId, input.categoryId);
    const values = await this.resolve(scope, input);
    const now = new Date();
    const row: BillEntity = { id: randomUUID(), ...values.bill, groupId: scope.groupId, userId: scope.userId, createdBy: userId, version: 1, createdAt: now, updatedAt: now };
    const created = this.events.stage({ scopeKey: scopeKey(row), payload: { case: 'billCreated', value: { bill: billEvent(row) } } });
    const bill = await this.bills.insert(row, values.participants, [created]);
    const change = this.describeChange(scope, [bill]);
    await this.changedWithin(change);
    return { bill: toView(bill, bill.participants, scope.baseCurrency), change };
  }

  /** Personal scope, or a group the user belongs to (404 for any other: its existence stays secret). */
  private async scope(userId: string, groupId: string | undefined | null, categoryId?: string | null): Promise<GroupScope> {
    const context = await this.bills.actorContext(userId, groupId ?? null, categoryId ?? null);
    const { timeZone, categoryInScope } = context;
    if (!groupId) return { groupId: null, userId, baseCurrency: context.currency, seesAll: true, isAdmin: false, timeZone, categoryInScope };
    if (!context.group) throw new GroupNotFound();
    const { baseCurrency, isAdmin, membersSeeAllBills } = context.group;
    return { groupId, userId: null, baseCurrency, seesAll: isAdmin || membersSeeAllBills, isAdmin, timeZone, categoryInScope };
  }

  /** The service's own copy of the visibility rule (row-level security enforces it again). */
  private async assertMayView(userId: string, bill: BillRow): Promise<void> {
    if (bill.userId === userId || bill.createdBy === userId) return;
    if (bill.groupId && (await this.scope(userId, bill.groupId)).seesAll) return;
    throw new BillNotFound();
  }

  private async assertMayChange(userId: string, bill: BillRow): Promise<void> {
    await this.assertMayView(userId, bill);
    if (bill.userId === userId || bill.createdBy === userId) return;
    if (bill.groupId && (await this.scope(userId, bill.groupId)).isAdmin) return;
    throw new ChangeNotAllowed();
  }

  private merge(current: BillRow, changes: BillChangesInput): BillInput {
    const participants = current.participants.map((p) => ({ userId: p.userId, amount: fromMinor(p.shareMinor, current.currency), percent: p.percent ?? undefined }));
    return {
      title: changes.title ?? current.title,
      amount: changes.amount ?? fromMinor(current.amountMinor, current.currency),
      currency: changes.currency ?? current.currency,
      exchangeRate: changes.exchangeRate ?? (changes.currency === undefined || changes.currency === current.currency ? current.exchangeRate : undefined),
      spentAt: changes.spentAt ?? current.spentAt.toISOString(),
      timeZone: changes.timeZone ?? current.timeZone,
      categoryId: changes.categoryId === undefined ? current.categoryId : changes.categoryId,
      tags: changes.tags ?? current.tags,
      payee: changes.payee === undefined ? current.payee : changes.payee,
      notes: changes.notes === undefined ? current.notes : changes.notes,
      split: changes.split === undefined ? (current.splitKind ? { kind: current.splitKind, participants } : null) : changes.split,
    };
  }

  /** Checks everything that needs the database and turns the input into stored values; `scope` was resolved for the input's category. */
  private async resolve(scope: GroupScope, input: BillInput) {
    const currency = input.currency ?? scope.baseCurrency;
    const amountMinor = toMinor(input.amount, currency);
    if (amountMinor === undefined || amountMinor <= 0n) throw new InvalidAmount(currency);
    const timeZone = input.timeZone ?? scope.timeZone;
    const spentAt = new Date(input.spentAt);
    const spentOn = localDay(spentAt, timeZone);
    if (input.categoryId && !scope.categoryInScope) throw new CategoryNotUsable();

    let exchangeRate = '1';
    if (currency !== scope.baseCurrency) {
      const rate = input.exchangeRate ?? (await this.bills.uploadedRate(scope, currency, scope.baseCurrency, spentOn));
      if (!rate) throw new ExchangeRateRequired(currency, scope.baseCurrency);
      exchangeRate = rate;
    }
    const shares = await this.shares(scope, amountMinor, currency, input.split ?? null);
    return {
      bill: {
        title: input.title,
        amountMinor: amountMinor.toString(),
        currency,
        exchangeRate,
        baseAmountMinor: convertMinor(amountMinor, currency, scope.baseCurrency, exchangeRate).toString(),
        spentAt,
        timeZone,
        spentOn,
        categoryId: input.categoryId ?? null,
        tags: [...new Set(input.tags)],
        payee: input.payee ?? null,
        notes: input.notes ?? null,
        splitKind: input.split?.kind ?? null,
      },
      participants: shares.map((share) => ({ userId: share.userId, shareMinor: share.shareMinor.toString(), percent: share.percent })),
    };
  }

  private async shares(scope: Scope, amountMinor: bigint, currency: string, split: SplitInput | null): Promise<Share[]> {
    if (!split) return [];
    if (!scope.groupId) throw new SplitInvalid('only group bills are split between members');
    const members = new Set(await this.bills.memberIds(scope.groupId));
    if (split.participants.some((participant) => !members.has(participant.userId))) throw new SplitInvalid('every participant must be a member of the group');
    const participants = split.participants.map((participant) => {
      const shareMinor = participant.amount === undefined ? undefined : toMinor(participant.amount, currency);
      if (participant.amount !== undefined && shareMinor === undefined) throw new SplitInvalid(`"${participant.amount}" is not an amount in ${currency}`);
      return { userId: participant.userId, amountMinor: shareMinor, percent: participant.percent };
    });
    const outcome = computeShares(amountMinor, { kind: split.kind, participants });
    if (!outcome.ok) throw new SplitInvalid(outcome.problem);
    return outcome.shares;
  }

  private describeChange(scope: Scope, bills: BillEntity[]): BillChange {
    return {
      groupId: scope.groupId,
      userId: scope.userId,
      categoryIds: [...new Set(bills.map((bill) => bill.categoryId))],
      days: [...new Set(bills.map((bill) => bill.spentOn))],
    };
  }

  private async publish(payload: EventPayload, bill: BillEntity, change: BillChange): Promise<void> {
    await this.events.publish({ scopeKey: scopeKey(bill), payload });
    await this.changedWithin(change);
  }

  private async changedWithin(change: BillChange): Promise<void> {
    for (const listener of this.listeners) await listener.withinTransaction?.(change);
  }

  private async announceCommitted(change: BillChange): Promise<void> {
    for (const listener of this.listeners) await listener.afterCommit?.(change);
  }
}
