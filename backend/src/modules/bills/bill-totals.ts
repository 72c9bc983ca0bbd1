import { createHash } from 'node:crypto';
import type { Cache } from '../../platform/cache';
import type { BillFilter, BillsRepository, FilterTotals, TotalsAsOf } from './bills.repository';

/** How long counted totals are kept; the journal keeps changes well beyond it (`JOURNAL_KEPT_SECONDS`). */
const KEPT_SECONDS = 600;
/** How long the `bill_changes` journal keeps a change: longer than any cached total's snapshot can be old, with a margin for slow transactions. */
const JOURNAL_KEPT_SECONDS = 3_600;

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
    private readonly bills: BillsRepository,
    private readonly cache: Cache,
  ) {}

  /** The totals of `filter` as `viewerId` sees them (row-level security decides), inside the caller's unit of work. */
  async of(viewerId: string, filter: BillFilter): Promise<FilterTotals> {
    const key = `bill-totals:${createHash('sha256').update(JSON.stringify([viewerId, filter], bigintsAsText)).digest('base64url')}`;
    const cached = await this.cache.get(key);
    const counted = cached === undefined ? undefined : (JSON.parse(cached) as TotalsAsOf);
    const current = counted ? plus(counted, await this.bills.totalsChangedSince(filter, counted.snapshot)) : await this.bills.totals(filter);
    if (current.snapshot !== counted?.snapshot) await this.cache.set(key, JSON.stringify(current), KEPT_SECONDS);
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
