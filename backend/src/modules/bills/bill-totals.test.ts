import { MemoryCache } from '../../platform/cache';
import { BillTotals } from './bill-totals';
import type { BillFilter, BillsRepository, TotalsAsOf } from './bills.repository';

/**
 * Bills of 1.00 each. A snapshot is the last transaction id; `record` adds a bill the journal tells of,
 * `recordUnseen` one it does not (written with its trigger off).
 */
function ledger() {
  const state = { bills: 10, xid: 100, counts: 0, deltas: 0 };
  const journal: number[] = [];
  const asOf = (count: number): TotalsAsOf => ({ count, sumBaseMinor: String(count * 100), snapshot: String(state.xid) });
  const recordUnseen = () => {
    state.bills += 1;
    state.xid += 1;
  };
  const record = () => {
    recordUnseen();
    journal.push(state.xid);
  };
  const repository: Pick<BillsRepository, 'totals' | 'totalsChangedSince' | 'pruneChanges'> = {
    async totals() {
      state.counts += 1;
      return asOf(state.bills);
    },
    async totalsChangedSince(_filter, snapshot) {
      state.deltas += 1;
      return asOf(journal.filter((xid) => xid > Number(snapshot)).length);
    },
    pruneChanges: async () => 0,
  };
  return { state, record, recordUnseen, repository };
}

describe('BillTotals', () => {
  const filter: BillFilter = { groupId: 'group', q: 'taxi', minBaseMinor: 100n };
  let clock: number;
  const now = () => clock;

  beforeEach(() => {
    clock = 1_000_000;
  });

  it('counts a filter once, then adds the journalled changes since the snapshot it cached', async () => {
    const { state, record, repository } = ledger();
    const totals = new BillTotals(repository, new MemoryCache(), now);

    expect(await totals.of('viewer', filter)).toEqual({ count: 10, sumBaseMinor: '1000' });
    record();
    record();
    expect(await totals.of('viewer', filter)).toEqual({ count: 12, sumBaseMinor: '1200' });
    expect(await totals.of('viewer', filter)).toEqual({ count: 12, sumBaseMinor: '1200' });
    expect({ counts: state.counts, deltas: state.deltas }).toEqual({ counts: 1, deltas: 2 });
  });

  it('keeps totals apart per viewer and per filter', async () => {
    const { state, repository } = ledger();
    const totals = new BillTotals(repository, new MemoryCache(), now);

    await totals.of('viewer', filter);
    await totals.of('other viewer', filter);
    await totals.of('viewer', { ...filter, minBaseMinor: 101n });
    expect(state.counts).toBe(3);
  });

  it('counts again an hour after the last count, so a change the journal never saw is not kept for good', async () => {
    const { state, recordUnseen, repository } = ledger();
    const totals = new BillTotals(repository, new MemoryCache(), now);
    await totals.of('viewer', filter);

    recordUnseen();
    clock += 59 * 60_000;
    expect(await totals.of('viewer', filter)).toEqual({ count: 10, sumBaseMinor: '1000' });
    clock += 60_000;
    expect(await totals.of('viewer', filter)).toEqual({ count: 11, sumBaseMinor: '1100' });
    expect(state.counts).toBe(2);
  });
});
