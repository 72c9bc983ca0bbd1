// `npm run bench [name…]`: builds the product, starts real PostgreSQL (or uses DATABASE_URL), runs the
// benchmarks and writes bench/results/results.{json,md}. Figures are ratios against baselines measured
// in the same run wherever a baseline exists, so they compare across machines.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack } from '../scripts/lib/stack.mts';
import { log } from '../scripts/lib/util.mts';
import type { Benchmark, BenchResult } from './lib/benchmark.mts';
import { createBenchDatabase, startProduct } from './lib/product.mts';

const root = path.resolve(import.meta.dirname, '..');
// Built first: some benchmarks load the build output (the product's password hashing, ml-service's feature
// code, the generated protobuf) when their module is imported, which must see this build, not the last one.
if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);

const all: Benchmark[] = [
  (await import('./benchmarks/pg-insert.mts')).pgInsert,
  (await import('./benchmarks/http-readyz.mts')).httpReadyz,
  (await import('./benchmarks/auth-login.mts')).authLogin,
  (await import('./benchmarks/startup.mts')).startup,
  (await import('./benchmarks/bills-write.mts')).billsWrite,
  (await import('./benchmarks/bills-list.mts')).billsList,
  (await import('./benchmarks/insights-spending.mts')).insightsSpending,
  (await import('./benchmarks/ml-forecast.mts')).mlForecast,
  (await import('./benchmarks/events.mts')).events,
];
const wanted = process.argv.slice(2);
const selected = wanted.length > 0 ? all.filter((benchmark) => wanted.includes(benchmark.name)) : all;

const stack = await startStack(['postgres', ...new Set(selected.flatMap((benchmark) => benchmark.needs ?? []))]);
type Entry = BenchResult & { description: string; measuredAt: string; commit: string };
const commit = execSync('git rev-parse --short HEAD', { cwd: root, encoding: 'utf8' }).trim();
const out = path.join(root, 'bench', 'results');
const resultsFile = path.join(out, 'results.json');
// Running a subset keeps the other benchmarks' last figures; each entry says when and at which commit it was measured.
const results: Record<string, Entry> = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as { results: Record<string, Entry> }).results : {};
try {
  const adminUrl = stack.env.TEST_PG_ADMIN_URL!;
  const database = { ...(await createBenchDatabase(adminUrl, 'spendcast_bench')), adminUrl };
  const product = await startProduct({ DATABASE_URL: database.appUrl, DATABASE_OWNER_URL: database.ownerUrl });
  try {
    for (const benchmark of selected) {
      log(`bench ${benchmark.name}: ${benchmark.description}`);
      const result = await benchmark.run({ product, database, services: stack.env });
      results[benchmark.name] = { description: benchmark.description, measuredAt: new Date().toISOString(), commit, ...result };
      log(JSON.stringify(results[benchmark.name]!.rows));
    }
  } finally {
    await product.stop();
  }
} finally {
  await stack.stop();
}

const report = {
  generatedAt: new Date().toISOString(),
  commit,
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  results,
};

function table(rows: Array<Record<string, unknown>>): string {
  const flat = rows.map((row) =>
    Object.fromEntries(Object.entries(row).flatMap(([key, value]) =>
      value && typeof value === 'object' ? Object.entries(value).map(([inner, v]) => [`${key} ${inner}`, v]) : [[key, value]],
    )),
  );
  const columns = [...new Set(flat.flatMap((row) => Object.keys(row)))];
  const line = (cells: unknown[]) => `| ${cells.map((cell) => String(cell ?? '')).join(' | ')} |`;
  return [line(columns), line(columns.map(() => '---')), ...flat.map((row) => line(columns.map((column) => row[column])))].join('\n');
}

const markdown = [
  '# Spendcast benchmarks',
  '',
  `Run ${report.generatedAt} at ${report.commit} on ${report.machine.cpus} × ${report.machine.cpuModel}, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}.`,
  'Method: bench/README.md. Latencies in milliseconds, throughput per second.',
  '',
  ...Object.entries(results).flatMap(([name, result]) => [
    `## ${name}`,
    '',
    `${result.description} (measured ${result.measuredAt} at ${result.commit})`,
    '',
    table(result.rows),
    ...(result.ratio === undefined ? [] : ['', `Ratio to the same-run baseline: **${result.ratio}**`]),
    '',
  ]),
].join('\n');

mkdirSync(out, { recursive: true });
writeFileSync(resultsFile, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(path.join(out, 'results.md'), markdown);
log(`wrote ${path.join(out, 'results.md')}`);
