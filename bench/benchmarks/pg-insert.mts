// Baseline: what bare `pg` does for single-row INSERTs on this machine and server. API write
// benchmarks report their throughput as a ratio to this figure from the same run.
import pg from 'pg';
import { load } from '../lib/stats.mts';
import type { Benchmark } from '../lib/benchmark.mts';

export const CONCURRENCY = [1, 16, 64];

export async function rawInserts(url: string, concurrency: number, total: number) {
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  try {
    await pool.query(`CREATE TABLE IF NOT EXISTS bench_rows (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(), title text NOT NULL, amount_minor bigint NOT NULL,
      currency char(3) NOT NULL, spent_at timestamptz NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    return await load(concurrency, total, (index) =>
      pool.query('INSERT INTO bench_rows (title, amount_minor, currency, spent_at) VALUES ($1, $2, $3, $4)', [`row ${index}`, 1000 + index, 'GBP', new Date()]),
    );
  } finally {
    await pool.end();
  }
}

export const pgInsert: Benchmark = {
  name: 'pg-insert',
  description: 'Raw `pg` single-row INSERT (pool size = concurrency), the baseline for API writes.',
  async run({ database }) {
    const rows = [];
    for (const concurrency of CONCURRENCY) {
      const result = await rawInserts(database.ownerUrl, concurrency, concurrency === 1 ? 3_000 : 12_000);
      rows.push({ concurrency, ...result });
    }
    return { rows };
  },
};
