import { createHash } from 'node:crypto';
import type { Cache } from '../../platform/cache';
import type { BillFilter, BillsRepository, FilterTotals, TotalsAsOf } from './bills.repository';

/** How long a cached total may go unread before it is dropped; each read keeps it as long again. */
const IDLE_SECONDS = 600;
/**
 * How long a total lives on journalled changes before it is counted again. A change the journal never saw
 * (a database restored under a cache that kept its entries, a write with triggers off) is then wrong for
 * at most this long instead of for as long as the filter is read.
 */
const RECOUNT_AFTER_MS = 3_600_000;
/**
 * How long after a transaction ended the `bill_changes` journal keeps its changes (the prune's horizon):
 * longer than a cached total can go unread, so every cached snapshot has seen what is pruned.
 */
const JOURNAL_KEPT_SECONDS = 3_600;
/** How often the journal is pruned (`BillTotals.prune`): a change stays at most this long past `JOURNAL_KEPT_SECONDS`. */
export const JOURNAL_PRUNE_INTERVAL_MS = 600_000;

/** A cached total: as of its snapshot, counted in full at `countedAt` (ms since the epoch). */
interface CachedTotals extends TotalsAsOf {
  countedAt: number;
}

/**
 * The count and sum of a bill filter, exact, without counting them again after every change. The
 * first answer counts the filtered set (a text search over a million bills reads every bill of the
 * category: a few hundred milliseconds) and is cached with the database snapshot it was counted in.
 * Later answers add what the bill changes committed since that snapshot did to the filter, from the
 * `bill_changes` journal (a handful of rows after an edit), and cache the result with the newer
 * snapshot. Snapshots make this exact under concurrent writers: a change is counted once, whether it
 * committed before, during or after the count. Nothing needs to be retired when bills change, so every
 * replica's cache stays right, and a lost cache only costs one count.
 */
export class BillTotals {
  constructor(
    private readonly bills: Pick<BillsRepository, 'totals' | 'totalsChangedSince' | 'pruneChanges'>,
    private readonly cache: Cache,
    private readonly now: () => number = Date.now,
  ) {}

  /** The totals of `filter` as `viewerId` sees them (row-level security decides), inside the caller's unit of work. */
  async of(viewerId: string, filter: BillFilter): Promise<FilterTotals> {
    const key = `bill-totals:${createHash('sha256').update(JSON.stringify([viewerId, filter], bigintsAsText)).digest('base64url')}`;
    const cached = await this.cache.get(key);
    const counted = cached === undefined ? undefined : (JSON.parse(cached) as CachedTotals);
    // An entry without countedAt (cached before it was recorded) compares false, so it is counted again.
    const current: CachedTotals =
      counted && this.now() - counted.countedAt < RECOUNT_AFTER_MS
        ? { ...plus(counted, await this.bills.totalsChangedSince(filter, counted.snapshot)), countedAt: counted.countedAt }
        : { ...(await this.bills.totals(filter)), countedAt: this.now() };
    if (current.snapshot !== counted?.snapshot) await this.cache.set(key, JSON.stringify(current), IDLE_SECONDS);
    return { count: current.count, sumBaseMinor: current.sumBaseMinor };
  }

  /** Forgets journalled changes no cached total can still need. */
  prune(): Promise<number> {
    return this.bills.pruneChanges(JOURNAL_KEPT_SECONDS);
  }
}

function plus(counted: TotalsAsOf, changes: TotalsAsOf): TotalsAsOf {
  return { count: counted.count + changes.count, sumBaseMinor: (BigInt(counted.sumBaseMinor) + BigInt(changes.sumBaseMinor)).toString(), snapshot: changes.snapshot };
}

function bigintsAsText(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
