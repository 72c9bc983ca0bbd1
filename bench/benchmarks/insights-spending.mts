// P3: GET /api/v1/insights/spending (the last 12 months × categories, the default) for the admin of
// the same group ledgers as bills-list (10k, 100k, 1M real bills), uncached and cached. Uncached: each
// request follows a change to one of the group's bills (PATCH of its notes), which retires the group's
// cached answers as any bill change does; cached: the same request again and again. Builds without the
// endpoint report it as not available instead of a figure.
import { httpClient } from '../lib/http.mts';
import { billChanger, call, seededLedgers } from '../lib/ledger.mts';
import { load, percentiles, round, mapValues } from '../lib/stats.mts';
import type { Benchmark } from '../lib/benchmark.mts';

export const SPENDING_PATH = '/api/v1/insights/spending';
const UNCACHED = { total: 200, seconds: 45, atLeast: 30 };
const CACHED = { total: 500, seconds: 30, atLeast: 50 };
const TARGET_UNCACHED_MS = 50;
const TARGET_CACHED_MS = 5;

export const insightsSpending: Benchmark = {
  name: 'insights-spending',
  description: `GET ${SPENDING_PATH}?groupId=…&interval=month (12 months × categories) as the group's admin on the bills-list ledgers, 1 connection: uncached (after a bill change) and cached. Targets: p95 ≤ ${TARGET_UNCACHED_MS} ms uncached, ≤ ${TARGET_CACHED_MS} ms cached.`,
  async run(context) {
    const document = await call<{ paths?: Record<string, { get?: unknown }> }>(context.product.url, 'GET', '/api/openapi.json');
    if (!document.paths?.[SPENDING_PATH]?.get) return { rows: [{ status: `not available: this build has no GET ${SPENDING_PATH}` }] };

    const ledgers = await seededLedgers(context);
    const client = httpClient(context.product.url, 1);
    const rows = [];
    try {
      for (const { size, group } of ledgers) {
        const token = await group.members[0]!.token();
        const path = `${SPENDING_PATH}?groupId=${group.id}&interval=month`;
        const spending = async () => {
          const response = await client.request('GET', path, { token });
          if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${response.body.slice(0, 200)}`);
          return response.body;
        };
        const answer = JSON.parse(await spending()) as { periods: string[]; total: { count: number }; categories: unknown[] };
        if (answer.periods.length !== 12 || answer.total.count === 0) throw new Error(`${size} ledger: expected 12 months with bills, got ${answer.periods.length} months and ${answer.total.count} bills`);

        const changeABill = await billChanger(context.product.url, client, group, 'insights-spending benchmark');

        const uncachedMs: number[] = [];
        const uncachedRun = await load(1, UNCACHED.total, async (index) => {
          await changeABill(index);
          const started = performance.now();
          await spending();
          uncachedMs.push(performance.now() - started);
        }, UNCACHED);
        await spending();
        const cached = await load(1, CACHED.total, spending, CACHED);
        const uncached = mapValues(percentiles(uncachedMs), (value) => round(value, 3));
        rows.push({
          bills: size,
          billsIn12Months: answer.total.count,
          categories: answer.categories.length,
          uncachedRequests: uncachedRun.operations,
          uncachedMs: uncached,
          cachedRequests: cached.operations,
          cachedMs: cached.latencyMs,
          targets: `uncached p95 ≤ ${TARGET_UNCACHED_MS}: ${uncached.p95 <= TARGET_UNCACHED_MS ? 'met' : 'not met'}; cached p95 ≤ ${TARGET_CACHED_MS}: ${cached.latencyMs.p95 <= TARGET_CACHED_MS ? 'met' : 'not met'}`,
        });
      }
    } finally {
      client.close();
    }
    return { rows };
  },
};
