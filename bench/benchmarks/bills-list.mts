// P2: the first page of GET /api/v1/bills with a category filter and a text search, on group ledgers
// of 10k, 100k and 1M real bills (bench/lib/ledger.mts), as the group's admin (who sees every bill).
// Closed loop at one connection after a warm-up; the page includes the totals of the filtered set,
// which the product caches until a bill of the group changes. Two figures per size: "repeated" (the
// same request again: page query + cached totals, as for reloads and further pages) and "after a
// change" (each request follows a PATCH of one bill, so the totals are computed afresh: the first
// search after any change).
import { httpClient } from '../lib/http.mts';
import { billChanger, seededLedgers } from '../lib/ledger.mts';
import { load, mapValues, percentiles, round } from '../lib/stats.mts';
import type { Benchmark } from '../lib/benchmark.mts';

/** Amazon is the most frequent supplier; Shopping (equipment, furniture and materials) the largest named category. */
export const SEARCH = 'amazon';
export const CATEGORY = 'Shopping';
const WARMUP = { total: 30, seconds: 10, atLeast: 3 };
/** 300 requests, or as many as fit in 60 s but at least 40 (a slow ledger still gets a p95 of some weight). */
const SAMPLES = { total: 300, seconds: 60, atLeast: 40 };
/** After a change: each sample recomputes the totals, which at 1M take most of a second. */
const AFTER_CHANGE = { total: 60, seconds: 60, atLeast: 10 };
const TARGET_P95_MS = 30;
const TARGET_GROWTH = 1.5;

export const billsList: Benchmark = {
  name: 'bills-list',
  description: `First page (50) of GET /api/v1/bills?categoryId=<${CATEGORY}>&q=${SEARCH} with totals, admin of a group of N Calderdale bills, 1 connection: repeated, ${SAMPLES.total} requests (or ${SAMPLES.seconds} s, at least ${SAMPLES.atLeast}) after a warm-up; and after a bill change (totals recomputed), ${AFTER_CHANGE.total} (or ${AFTER_CHANGE.seconds} s, at least ${AFTER_CHANGE.atLeast}). Targets, judged for both: p95 ≤ ${TARGET_P95_MS} ms at 1M and ≤ ${TARGET_GROWTH}× the 10k figure.`,
  async run(context) {
    const ledgers = await seededLedgers(context);
    const client = httpClient(context.product.url, 1);
    const rows = [];
    try {
      for (const { size, group, seeding } of ledgers) {
        const path = `/api/v1/bills?groupId=${group.id}&categoryId=${group.categories[CATEGORY]}&q=${SEARCH}`;
        const token = await group.members[0]!.token();
        const page = async () => {
          const response = await client.request('GET', path, { token });
          if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${response.body.slice(0, 200)}`);
          return response.body;
        };
        const first = JSON.parse(await page()) as { items: unknown[]; total: { count: number } };
        if (first.items.length === 0) throw new Error(`no ${CATEGORY} bills matching "${SEARCH}" in the ${size} ledger`);
        await load(1, WARMUP.total, page, WARMUP);
        const result = await load(1, SAMPLES.total, page, SAMPLES);
        const changeABill = await billChanger(context.product.url, client, group, 'bills-list benchmark');
        const afterChangeMs: number[] = [];
        await load(1, AFTER_CHANGE.total, async (index) => {
          await changeABill(index);
          const started = performance.now();
          await page();
          afterChangeMs.push(performance.now() - started);
        }, AFTER_CHANGE);
        rows.push({
          bills: size,
          matching: first.total.count,
          seededInSeconds: seeding.seconds,
          requests: result.operations,
          perSecond: result.perSecond,
          latencyMs: result.latencyMs,
          afterChangeRequests: afterChangeMs.length,
          afterChangeMs: mapValues(percentiles(afterChangeMs), (value) => round(value, 3)),
        });
      }
    } finally {
      client.close();
    }
    const smallest = rows[0]!.latencyMs.p95;
    const largest = rows.at(-1)!;
    const growth = round(largest.latencyMs.p95 / smallest, 2);
    return {
      rows: rows.map((row) => ({
        ...row,
        p95VsSmallest: round(row.latencyMs.p95 / smallest, 2),
        targets: row === largest && rows.length > 1 ? `repeated p95 ≤ ${TARGET_P95_MS} ms: ${row.latencyMs.p95 <= TARGET_P95_MS ? 'met' : 'not met'}; ≤ ${TARGET_GROWTH}× smallest: ${growth <= TARGET_GROWTH ? 'met' : 'not met'}; after a change p95 ≤ ${TARGET_P95_MS} ms: ${row.afterChangeMs.p95 <= TARGET_P95_MS ? 'met' : 'not met'}` : '',
      })),
    };
  },
};
