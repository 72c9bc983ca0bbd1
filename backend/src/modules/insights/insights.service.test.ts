import { MemoryCache, type Cache } from '../../platform/cache';
import type { Transactions } from '../../platform/database';
import type { InsightsRepository, SpendRow, Viewer } from './insights.repository';
import { InsightsService } from './insights.service';

const transactions: Transactions = { run: (_context, work) => work() };
const viewer: Viewer = { timeZone: 'UTC', currency: 'EUR', groupId: null, seesAll: true };

function repository(rows: SpendRow[]) {
  const fake = {
    reads: 0,
    viewer: async () => viewer,
    rollup: async () => {
      fake.reads++;
      return rows;
    },
  };
  return fake;
}

describe('InsightsService', () => {
  const query = { from: '2026-03-01', to: '2026-03-31' };

  it('answers again from the cache, and reads afresh once a bill of the scope changed', async () => {
    const rows: SpendRow[] = [{ period: null, categoryId: null, totalMinor: 1234n, count: 1 }];
    const repo = repository(rows);
    const insights = new InsightsService(transactions, repo as unknown as InsightsRepository, new MemoryCache());

    const first = await insights.summary('u1', query);
    await insights.summary('u1', query);
    const readsBeforeChange = repo.reads;
    await insights.billListener.afterCommit!({ groupId: null, userId: 'u1', categoryIds: [null], days: ['2026-03-02'] });
    await insights.summary('u1', query);

    expect(first.total).toBe('12.34');
    expect(readsBeforeChange).toBe(2); // this period and the one before
    expect(repo.reads).toBe(4);
  });

  it('reports a cache that cannot count instead of failing the committed bill change', async () => {
    const broken: Cache = { ...new MemoryCache(), increment: () => Promise.reject(new Error('Redis is down')) } as unknown as Cache;
    const errors: unknown[] = [];
    const insights = new InsightsService(transactions, repository([]) as unknown as InsightsRepository, broken, (error) => errors.push(error));

    await expect(insights.billListener.afterCommit!({ groupId: 'g1', userId: null, categoryIds: [], days: [] })).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
  });
});
