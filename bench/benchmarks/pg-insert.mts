// Baseline: what bare `pg` does for single-row INSERTs on this machine and server. API write
// benchmarks report their throughput as a ratio to this figure from the same run. Also what one
// statement's round trip costs in CPU, whatever the statement does: the price of every extra
// statement an API request makes (on a VM, mostly the system calls that wake the other side).
import pg from 'pg';
import { watchCpu } from '../lib/cpu.mts';
import { load, round } from '../lib/stats.mts';
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

const ROUND_TRIPS = 20_000;

/** `SELECT $1` one after another on one connection: CPU per round trip of this process (the client) and of its backend. */
async function roundTrips(database: { ownerUrl: string; adminUrl: string; name: string }) {
  const client = new pg.Client({ connectionString: database.ownerUrl });
  await client.connect();
  try {
    const roundTrip = (index: number) => client.query('SELECT $1::int', [index]);
    await load(1, 2_000, roundTrip);
    const cpu = await watchCpu(database.adminUrl, database.name);
    const clientCpu = process.cpuUsage();
    const result = await load(1, ROUND_TRIPS, roundTrip);
    const { user, system } = process.cpuUsage(clientCpu);
    const split = await cpu.stop();
    return {
      ...result,
      cpuMsPerRoundTrip: { client: round((user + system) / 1000 / ROUND_TRIPS, 3), database: split ? round(split.databaseMs / ROUND_TRIPS, 3) : 'not measured' },
    };
  } finally {
    await client.end();
  }
}

export const pgInsert: Benchmark = {
  name: 'pg-insert',
  description: `Raw \`pg\` single-row INSERT (pool size = concurrency), the baseline for API writes; and ${ROUND_TRIPS} \`SELECT $1\` round trips on one connection, the CPU each costs the client and the database.`,
  async run({ database }) {
    const rows: Array<Record<string, unknown>> = [];
    for (const concurrency of CONCURRENCY) {
      const result = await rawInserts(database.ownerUrl, concurrency, concurrency === 1 ? 3_000 : 12_000);
      rows.push({ what: 'INSERT', concurrency, ...result });
    }
    rows.push({ what: 'SELECT $1 round trip', concurrency: 1, ...(await roundTrips(database)) });
    return { rows };
  },
};
