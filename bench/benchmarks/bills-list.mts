// P2: the first page of GET /api/v1/bills with a category filter and a text search, on group ledgers
// of 10k, 100k and 1M real bills (bench/lib/ledger.mts), as the group's admin (who sees every bill).
// Closed loop at one connection after a warm-up; the page includes the totals of the filtered set,
// which the product counts once and then keeps current from the journal of bill changes. Three
// figures per size: "repeated" (the same request again, as for reloads and further pages), "after a
// change" (each request follows a PATCH of one bill: the first search after any change) and "new
// search" (each request asks for words not asked before, so its totals are counted from the bills).
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
const AFTER_CHANGE = { total: 60, seconds: 60, atLeast: 10 };
/** A new search counts its totals from the bills, which at 1M takes most of a second. */
const NEW_SEARCH = { total: 60, seconds: 60, atLeast: 10 };
const TARGET_P95_MS = 30;
const TARGET_GROWTH = 1.5;

export const billsList: Benchmark = {
  name: 'bills-list',
  description: `First page (50) of GET /api/v1/bills?categoryId=<${CATEGORY}>&q=${SEARCH} with totals, admin of a group of N Calderdale bills, 1 connection: repeated, ${SAMPLES.total} requests (or ${SAMPLES.seconds} s, at least ${SAMPLES.atLeast}) after a warm-up; after a bill change, ${AFTER_CHANGE.total} (or ${AFTER_CHANGE.seconds} s, at least ${AFTER_CHANGE.atLeast}); a new search (totals counted), ${NEW_SEARCH.total} (or ${NEW_SEARCH.seconds} s, at least ${NEW_SEARCH.atLeast}). Targets: p95 ≤ ${TARGET_P95_MS} ms at 1M and ≤ ${TARGET_GROWTH}× the 10k figure.`,
  async run(context) {
    const ledgers = await seededLedgers(context);
    const client = httpClient(context.product.url, 1);
    const rows = [];
    try {
      for (const { size, group, seeding } of ledgers) {
        const token = await group.members[0]!.token();
        const page = async (search = SEARCH) => {
          const path = `/api/v1/bills?groupId=${group.id}&categoryId=${group.categories[CATEGORY]}&q=${encodeURIComponent(search)}`;
          const response = await client.request('GET', path, { token });
          if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${response.body.slice(0, 200)}`);
          return JSON.parse(response.body) as { items: unknown[]; total: { count: number } };
        };
        const first = await page();
        if (first.items.length === 0) throw new Error(`no ${CATEGORY} bills matching "${SEARCH}" in the ${size} ledger`);
        await load(1, WARMUP.total, () => page(), WARMUP);
        const result = await load(1, SAMPLES.total, () => page(), SAMPLES);
        const changeABill = await billChanger(context.product.url, client, group, 'bills-list benchmark');
        const afterChangeMs: number[] = [];
        await load(1, AFTER_CHANGE.total, async (index) => {
          await changeABill(index);
          const started = performance.now();
          await page();
          afterChangeMs.push(performance.now() - started);
        }, AFTER_CHANGE);
        const newSearch = await load(1, NEW_SEARCH.total, async (index) => {
          const { total } = await page(spelledAnew(SEARCH, index));
          if (total.count !== first.total.count) throw new Error(`"${spelledAnew(SEARCH, index)}" found ${total.count} bills, "${SEARCH}" ${first.total.count}`);
        }, NEW_SEARCH);
        rows.push({
          bills: size,
          matching: first.total.count,
          seededInSeconds: seeding.seconds,
          requests: result.operations,
          perSecond: result.perSecond,
          latencyMs: result.latencyMs,
          afterChangeRequests: afterChangeMs.length,
          afterChangeMs: mapValues(percentiles(afterChangeMs), (value) => round(value, 3)),
          newSearchRequests: newSearch.operations,
          newSearchMs: newSearch.latencyMs,
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
        targets: row === largest && rows.length > 1 ? `repeated p95 ≤ ${TARGET_P95_MS} ms: ${met(row.latencyMs.p95 <= TARGET_P95_MS)}; ≤ ${TARGET_GROWTH}× smallest: ${met(growth <= TARGET_GROWTH)}; after a change p95 ≤ ${TARGET_P95_MS} ms: ${met(row.afterChangeMs.p95 <= TARGET_P95_MS)}; new search p95 ≤ ${TARGET_P95_MS} ms: ${met(row.newSearchMs.p95 <= TARGET_P95_MS)}` : '',
      })),
    };
  },
};

const met = (ok: boolean) => (ok ? 'met' : 'not met');

/**
 * The search spelled in upper and lower case after the bits of `index` ("amazon", "Amazon", "aMazon", …):
 * a question the product has not cached, matching exactly the same bills (search ignores case).
 */
function spelledAnew(search: string, index: number): string {
  return [...search].map((letter, position) => ((index + 1) >> position) & 1 ? letter.toUpperCase() : letter).join('');
}
