// `npm start` on embedded defaults: time from process start to a healthy /healthz, on an empty
// data directory (creates the database, runs migrations) and again on the kept one.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startProduct } from '../lib/product.mts';
import { round } from '../lib/stats.mts';
import type { Benchmark } from '../lib/benchmark.mts';

async function timeToHealthy(dataDir: string): Promise<number> {
  const started = performance.now();
  const product = await startProduct({ DATA_DIR: dataDir, NODE_ENV: 'development' });
  const seconds = (performance.now() - started) / 1000;
  await product.stop();
  return round(seconds, 2);
}

export const startup: Benchmark = {
  name: 'startup',
  description: 'Embedded defaults (PGlite, memory cache, local blobs and mail): seconds from spawn to /healthz 200. Target ≤ 15 s.',
  async run() {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'spendcast-bench-start-'));
    try {
      const cold = await timeToHealthy(dataDir);
      const warm = await timeToHealthy(dataDir);
      return { rows: [{ start: 'first (empty data dir)', seconds: cold }, { start: 'restart (kept data)', seconds: warm }] };
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};
