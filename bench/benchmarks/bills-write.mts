// P1: recording bills through the whole API at concurrency 64, against raw `pg` inserting the same
// rows into the same bills table as the owner (one row per statement, pool of 64) in the same run.
// Between the two, the floor any Express API stands on: the same rows POSTed to a bare Express 5
// process that runs the raw INSERT (bench/lib/express-floor.mts). The rows are real Calderdale card
// payments (bench/lib/ledger.mts `replay`), created by the ten members of a fresh group in turn; all
// paths fire the same row triggers (audit log, spend rollup, change journal).
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import pg from 'pg';
import { watchCpu, type CpuSplit } from '../lib/cpu.mts';
import { httpClient, type HttpClient } from '../lib/http.mts';
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
/** Ample for the Express floor to listen: it loads Express and opens no database connection before a request. */
const FLOOR_START_MS = 15_000;

/** The raw baseline's statement (and the Express floor's), storing what BillsService.create would. */
const RAW_INSERT = `INSERT INTO bills (id, group_id, created_by, title, amount_minor, currency, exchange_rate, base_amount_minor, spent_at, time_zone, spent_on, category_id, tags, payee, notes, version)
  VALUES ($1, $2, $3, $4, $5, 'GBP', 1, $5, $6, $7, $8, $9, '{}', $10, $11, 1)`;

const pounds = (minor: number) => `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;

export const billsWrite: Benchmark = {
  name: 'bills-write',
  description: `POST /api/v1/bills at ${CONCURRENCY} connections (${COUNT} real Calderdale payments after ${WARMUP} warm-up) vs raw pg INSERT INTO bills of the same rows as the owner, pool of ${CONCURRENCY}, and vs the same INSERT behind a bare Express 5 route at ${CONCURRENCY} connections; then ${PACED_COUNT} more offered open-loop at ${PACED_RATE}/s. Targets: ratio ≥ ${TARGET_RATIO}, p99 ≤ ${TARGET_P99_MS} ms.`,
  async run({ product, database }) {
    const group = await createGroup(product.url, 'Calderdale writes');
    const members = group.members.map((member) => member.userId);
    const { at } = replay(WARMUP + COUNT + PACED_COUNT);
    // Warm-up rows first, then the measured ones, then the open loop's (API only); row i is recorded by member i mod 10 on every path.
    const bills = Array.from({ length: WARMUP + COUNT + PACED_COUNT }, (_, index) => at(index));

    // What BillsService.create stores for a GBP bill in a GBP group, in the user's time zone.
    const values = (index: number) => {
      const bill = bills[index]!;
      return [randomUUID(), group.id, members[index % members.length], bill.supplier, bill.amountMinor, bill.spentAt, TIME_ZONE, bill.spentOn, group.categories[bill.category], bill.merchantCategory || null, bill.expenseArea || null];
    };
    const pool = new pg.Pool({ connectionString: database.ownerUrl, max: CONCURRENCY });
    let baseline, baselineCpu;
    try {
      const insert = (index: number) => pool.query(RAW_INSERT, values(index));
      await load(CONCURRENCY, WARMUP, insert);
      const cpu = await watchCpu(database.adminUrl, database.name);
      baseline = await load(CONCURRENCY, COUNT, (index) => insert(WARMUP + index));
      baselineCpu = await cpu.stop();
    } finally {
      await pool.end();
    }

    const floorServer = await startExpressFloor(database.ownerUrl);
    const floorClient = httpClient(floorServer.url, CONCURRENCY);
    let floor, floorCpu;
    try {
      const post = (index: number) => expectCreated(floorClient, '/rows', { body: JSON.stringify({ values: values(index) }) });
      await load(CONCURRENCY, WARMUP, post);
      const cpu = await watchCpu(database.adminUrl, database.name, floorServer.pid);
      floor = await load(CONCURRENCY, COUNT, (index) => post(WARMUP + index));
      floorCpu = await cpu.stop();
    } finally {
      floorClient.close();
      await floorServer.stop();
    }

    const tokens = await Promise.all(group.members.map((member) => member.token()));
    const bodies = bills.map((bill) =>
      JSON.stringify({ title: bill.supplier, amount: pounds(bill.amountMinor), spentAt: bill.spentAt.toISOString(), categoryId: group.categories[bill.category], payee: bill.merchantCategory || null, notes: bill.expenseArea || null, groupId: group.id }),
    );
    const client = httpClient(product.url, CONCURRENCY);
    let api, apiCpu, open;
    try {
      const post = (index: number) => expectCreated(client, '/api/v1/bills', { token: tokens[index % tokens.length], body: bodies[index] });
      await load(CONCURRENCY, WARMUP, post);
      await outboxDrained(database.ownerUrl);
      const cpu = await watchCpu(database.adminUrl, database.name, product.pid);
      api = await load(CONCURRENCY, COUNT, (index) => post(WARMUP + index));
      // The events the bills raised are relayed and consumed after the burst: their work is part of a bill's cost.
      await outboxDrained(database.ownerUrl);
      apiCpu = await cpu.stop();
      await expectSameRows(database.ownerUrl, group.id, 3, WARMUP + COUNT);
      open = await paced(PACED_RATE, PACED_COUNT, CONCURRENCY, (index) => post(WARMUP + COUNT + index));
    } finally {
      client.close();
    }

    const ratio = round(api.perSecond / baseline.perSecond, 3);
    const floorRatio = round(floor.perSecond / baseline.perSecond, 3);
    const p99 = (latency: { p99: number }) => `p99 ${latency.p99} ms (≤ ${TARGET_P99_MS}: ${latency.p99 <= TARGET_P99_MS ? 'met' : 'not met'})`;
    return {
      rows: [
        { what: `raw pg INSERT INTO bills, pool ${CONCURRENCY}`, ...baseline, cpuMsPerBill: perBill(baselineCpu) },
        { what: `bare Express 5 + the raw INSERT, ${CONCURRENCY} connections`, ...floor, cpuMsPerBill: perBill(floorCpu), targets: `ratio ${floorRatio}: the floor under any Express API` },
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

/** Every path must have stored the same values: each stored row (but ids and timestamps) appears once per path. */
async function expectSameRows(ownerUrl: string, groupId: string, paths: number, perPath: number): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ total: number; unmatched: number }>(
      `SELECT coalesce(sum(n), 0)::int AS total, count(*) FILTER (WHERE n % $2 <> 0)::int AS unmatched FROM (
         SELECT count(*) AS n FROM bills WHERE group_id = $1
          GROUP BY created_by, title, amount_minor, currency, exchange_rate, base_amount_minor, spent_at, time_zone, spent_on, category_id, tags, payee, notes, split_kind, version) t`,
      [groupId, paths],
    );
    const { total, unmatched } = rows[0]!;
    if (total !== paths * perPath || unmatched !== 0) throw new Error(`the paths stored different rows (${total} of ${paths * perPath}, ${unmatched} unmatched)`);
  } finally {
    await client.end();
  }
}

async function expectCreated(client: HttpClient, path: string, request: { token?: string; body?: string }): Promise<void> {
  const response = await client.request('POST', path, request);
  if (response.status !== 201) throw new Error(`POST ${path}: ${response.status} ${response.body.slice(0, 300)}`);
}

/** bench/lib/express-floor.mts as its own process, connected as the owner like the raw baseline. */
async function startExpressFloor(ownerUrl: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [path.join(import.meta.dirname, '../lib/express-floor.mts'), ownerUrl, String(CONCURRENCY), RAW_INSERT], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await portOnceListening(child);
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The port the floor prints once it listens; fails if it exits first (Express not found, say) or is too slow. */
function portOnceListening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`the Express floor did not listen within ${FLOOR_START_MS / 1000} s`));
    }, FLOOR_START_MS);
    child.stdout!.once('data', (chunk: Buffer) => {
      clearTimeout(timer);
      resolve(chunk.toString().trim());
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the Express floor exited (${signal ?? `code ${code}`}) before it listened; its stderr is above`));
    });
  });
}
