// The HTTP stack end to end: GET /readyz runs one `SELECT 1` through the whole middleware chain
// (request id, logging, metrics, helmet, CORS) in the product's own process. Compared with bare
// `pg` doing the same query at the same concurrency in this run.
import autocannon from 'autocannon';
import pg from 'pg';
import { load, round } from '../lib/stats.mts';
import type { Benchmark } from '../lib/benchmark.mts';

const CONNECTIONS = 16;
const SECONDS = 8;

export const httpReadyz: Benchmark = {
  name: 'http-readyz',
  description: `GET /readyz (one SELECT 1) through the API at ${CONNECTIONS} connections for ${SECONDS} s, vs bare pg SELECT 1 at the same concurrency.`,
  async run({ product, database }) {
    const pool = new pg.Pool({ connectionString: database.appUrl, max: CONNECTIONS });
    const baseline = await load(CONNECTIONS, 20_000, () => pool.query('SELECT 1')).finally(() => pool.end());
    const result = await autocannon({ url: `${product.url}/readyz`, connections: CONNECTIONS, duration: SECONDS });
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`readyz failed ${result.non2xx + result.errors} times`);
    const api = { perSecond: round(result.requests.average, 1), latencyMs: { p50: result.latency.p50, p99: result.latency.p99 } };
    return { rows: [{ what: 'bare pg SELECT 1', ...baseline }, { what: 'GET /readyz', ...api }], ratio: round(api.perSecond / baseline.perSecond, 3) };
  },
};
