// P1: recording bills through the whole API at concurrency 64, against raw `pg` inserting the same
// rows into the same bills table as the owner (one row per statement, pool of 64) in the same run.
// The rows are real Calderdale card payments (bench/lib/ledger.mts `replay`), created by the ten
// members of a fresh group in turn; both paths fire the same row triggers (audit log, spend rollup).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { watchCpu, type CpuSplit } from '../lib/cpu.mts';
import { httpClient } from '../lib/http.mts';
import { createGroup, replay, TIME_ZONE } from '../lib/ledger.mts';
import { load, paced, round } from '../lib/stats.mts';
import type { Benchmark } from '../lib/benchmark.mts';

const CONCURRENCY = 64;
const WARMUP = 1_000;
/** Bills each path records after its warm-up; BENCH_WRITE_COUNT=2000 for a quick run. */
const COUNT = Number(process.env.BENCH_WRITE_COUNT ?? 10_000);
/** The open-loop phase: bills per second offered, and how many. */
const PACED_RATE = 100;
const PACED_COUNT = 2_000;
const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 25;

const pounds = (minor: number) => `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

export const billsWrite: Benchmark = {
  name: 'bills-write',
  description: `POST /api/v1/bills at ${CONCURRENCY} connections (${COUNT} real Calderdale payments after ${WARMUP} warm-up) vs raw pg INSERT INTO bills of the same rows as the owner, pool of ${CONCURRENCY}; then ${PACED_COUNT} more offered open-loop at ${PACED_RATE}/s. Targets: ratio ≥ ${TARGET_RATIO}, p99 ≤ ${TARGET_P99_MS} ms.`,
  async run({ product, database }) {
    const group = await createGroup(product.url, 'Calderdale writes');
    const members = group.members.map((member) => member.userId);
    const { at } = replay(WARMUP + COUNT + PACED_COUNT);
    // Warm-up rows first, then the measured ones, then the open loop's (API only); row i is recorded by member i mod 10 on both paths.
    const bills = Array.from({ length: WARMUP + COUNT + PACED_COUNT }, (_, index) => at(index));

    const pool = new pg.Pool({ connectionString: database.ownerUrl, max: CONCURRENCY });
    let baseline, baselineCpu;
    try {
      // What BillsService.create stores for a GBP bill in a GBP group, in the user's time zone.
      const insert = (index: number) => {
        const bill = bills[index]!;
        return pool.query(
          `INSERT INTO bills (id, group_id, created_by, title, amount_minor, currency, exchange_rate, base_amount_minor, spent_at, time_zone, spent_on, category_id, tags, payee, notes, version)
           VALUES ($1, $2, $3, $4, $5, 'GBP', 1, $5, $6, $7, $8, $9, '{}', $10, $11, 1)`,
          [randomUUID(), group.id, members[index % members.length], bill.supplier, bill.amountMinor, bill.spentAt, TIME_ZONE, bill.spentOn, group.categories[bill.category], bill.merchantCategory || null, bill.expenseArea || null],
        );
      };
      await load(CONCURRENCY, WARMUP, insert);
      const cpu = await watchCpu(database.adminUrl, database.name);
      baseline = await load(CONCURRENCY, COUNT, (index) => insert(WARMUP + index));
      baselineCpu = await cpu.stop();
    } finally {
      await pool.end();
    }

    const tokens = await Promise.all(group.members.map((member) => member.token()));
    const bodies = bills.map((bill) =>
      JSON.stringify({ title: bill.supplier, amount: pounds(bill.amountMinor), spentAt: bill.spentAt.toISOString(), categoryId: group.categories[bill.category], payee: bill.merchantCategory || null, notes: bill.expenseArea || null, groupId: group.id }),
    );
    const client = httpClient(product.url, CONCURRENCY);
    let api, apiCpu, open;
    try {
      const post = async (index: number) => {
        const response = await client.request('POST', '/api/v1/bills', { token: tokens[index % tokens.length], body: bodies[index] });
        if (response.status !== 201) throw new Error(`POST /api/v1/bills: ${response.status} ${response.body.slice(0, 300)}`);
      };
      await load(CONCURRENCY, WARMUP, post);
      await outboxDrained(database.ownerUrl);
      const cpu = await watchCpu(database.adminUrl, database.name, product.pid);
      api = await load(CONCURRENCY, COUNT, (index) => post(WARMUP + index));
      // The events the bills raised are relayed and consumed after the burst: their work is part of a bill's cost.
      await outboxDrained(database.ownerUrl);
      apiCpu = await cpu.stop();
      await expectSameRows(database.ownerUrl, group.id, 2 * (WARMUP + COUNT));
      open = await paced(PACED_RATE, PACED_COUNT, CONCURRENCY, (index) => post(WARMUP + COUNT + index));
    } finally {
      client.close();
    }

    const ratio = round(api.perSecond / baseline.perSecond, 3);
    const p99 = (latency: { p99: number }) => `p99 ${latency.p99} ms (≤ ${TARGET_P99_MS}: ${latency.p99 <= TARGET_P99_MS ? 'met' : 'not met'})`;
    return {
      rows: [
        { what: `raw pg INSERT INTO bills, pool ${CONCURRENCY}`, ...baseline, cpuMsPerBill: perBill(baselineCpu) },
        { what: `POST /api/v1/bills, ${CONCURRENCY} connections`, ...api, cpuMsPerBill: perBill(apiCpu), targets: `ratio ${ratio} (≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'not met'}), ${p99(api.latencyMs)}` },
        { what: `POST /api/v1/bills, open loop at ${PACED_RATE}/s`, ...open, targets: p99(open.latencyMs) },
      ],
      ratio,
    };
  },
};

/** CPU per measured bill, by process; "not measured" where /proc or a local PostgreSQL is missing. */
function perBill(split: CpuSplit | undefined) {
  if (!split) return 'not measured';
  return { database: round(split.databaseMs / COUNT, 3), ...(split.productMs === undefined ? {} : { product: round(split.productMs / COUNT, 3) }) };
}

/** Waits until the relay has published every event in the outbox, including those its consumers raised meanwhile. */
async function outboxDrained(ownerUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const deadline = Date.now() + 120_000;
    for (let quietChecks = 0; quietChecks < 2; ) {
      const { rows } = await client.query<{ pending: number }>(`SELECT count(*)::int AS pending FROM outbox WHERE published_at IS NULL AND parked_at IS NULL`);
      quietChecks = rows[0]!.pending === 0 ? quietChecks + 1 : 0;
      if (Date.now() > deadline) throw new Error(`the outbox still holds ${rows[0]!.pending} unpublished events after 120 s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await client.end();
  }
}

/** Both paths must have stored the same values: every stored row (but ids and timestamps) appears an even number of times. */
async function expectSameRows(ownerUrl: string, groupId: string, expected: number): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ total: number; unpaired: number }>(
      `SELECT coalesce(sum(n), 0)::int AS total, count(*) FILTER (WHERE n % 2 <> 0)::int AS unpaired FROM (
         SELECT count(*) AS n FROM bills WHERE group_id = $1
          GROUP BY created_by, title, amount_minor, currency, exchange_rate, base_amount_minor, spent_at, time_zone, spent_on, category_id, tags, payee, notes, split_kind, version) t`,
      [groupId],
    );
    const { total, unpaired } = rows[0]!;
    if (total !== expected || unpaired !== 0) throw new Error(`the API and the baseline stored different rows (${total} of ${expected}, ${unpaired} unpaired)`);
  } finally {
    await client.end();
  }
}
