// ml-service Forecast over gRPC, started from its build as `npm start` runs it, with the model shipped
// in the repository. Latency for a dashboard-sized call (12 series); throughput for large batches
// against bare onnxruntime running the same feature rows through the same model in this process:
// the ratio is what validation, features, decoding, protobuf and gRPC cost on top of inference.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { credentials, type ChannelCredentials } from '@grpc/grpc-js';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { freePort } from '../../scripts/lib/services.mts';
import { load, round } from '../lib/stats.mts';
import type { Benchmark } from '../lib/benchmark.mts';

// The product's builds (made by the runner): the generated contract and ml-service's feature code,
// so the baseline feeds the model exactly the rows the service computes.
interface Series {
  id: string;
  interval: number;
  firstPeriod: string;
  values: number[];
}
interface ForecasterClient {
  forecast(request: { series: Series[]; horizon: number }): Promise<{ series: Array<{ method: number }> }>;
  getModelInfo(request: object, options: { deadline: number }): Promise<{ model?: { name: string; version: string } }>;
  close(): void;
}
interface Proto {
  Forecaster: unknown;
  Interval: { MONTH: number };
  Method: { MODEL: number };
  createPromiseClient(service: unknown, address: string, credentials: ChannelCredentials): ForecasterClient;
}
interface ForecastCore {
  FEATURE_NAMES: readonly string[];
  featureRows(series: Omit<Series, 'interval'> & { interval: 'month' }, horizon: number, metadata: unknown): Float32Array;
}

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const proto = require('../../proto/dist/index.js') as Proto;
const core = require('../../ml-service/dist/forecast/index.js') as ForecastCore;

const HISTORY_MONTHS = 36;
const HORIZON = 6;
const SMALL_BATCH = 12;
const LARGE_BATCH = 1000;
const LATENCY_CALLS = 300;
const THROUGHPUT_CALLS = 20;
const WARMUP_CALLS = 20;
const TARGET_RATIO = 0.5;

/** Monthly spending with a yearly pattern, a trend and deterministic noise, different per series. */
function series(index: number) {
  const values = Array.from({ length: HISTORY_MONTHS }, (_, month) => {
    const noise = ((month * 7919 + index * 104_729) % 1000) / 1000 - 0.5;
    return round(150 + (index % 50) * 10 + 40 * Math.sin((2 * Math.PI * (month + index)) / 12) + month + 30 * noise, 2);
  });
  return { id: `series-${index}`, interval: proto.Interval.MONTH, firstPeriod: '2023-01-01', values };
}

async function startMlService(dataDir: string) {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, 'ml-service/dist/main.js')], {
    // An empty blob directory: no model registered, so the shipped one serves.
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', DATA_DIR: dataDir, GRPC_PORT: String(port), METRICS_PORT: '0', MAX_BATCH: String(LARGE_BATCH) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const client = proto.createPromiseClient(proto.Forecaster, `127.0.0.1:${port}`, credentials.createInsecure());
  const loadedModel = async () => (await client.getModelInfo({}, { deadline: Date.now() + 1000 }).catch(() => undefined))?.model;
  const deadline = Date.now() + 60_000;
  let model = await loadedModel();
  while (!model) {
    if (child.exitCode !== null) throw new Error(`ml-service exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('ml-service did not load a model within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
    model = await loadedModel();
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      client.close();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { client, model, stop };
}

/** The shipped model in a plain session, configured as ml-service configures its own. */
async function bareModel(name: string, version: string) {
  const directory = path.join(root, 'ml-service/models', name, version);
  const metadata = JSON.parse(await readFile(path.join(directory, 'metadata.json'), 'utf8')) as { input: { name: string } };
  const session = await InferenceSession.create(path.join(directory, 'model.onnx'), { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
  return { metadata, session };
}

export const mlForecast: Benchmark = {
  name: 'ml-forecast',
  description: `ml-service Forecast over gRPC on loopback, shipped model, ${HISTORY_MONTHS}-month histories, horizon ${HORIZON}: latency of ${SMALL_BATCH}-series calls; series/s of ${LARGE_BATCH}-series calls vs bare onnxruntime on the same feature rows in this process. Target: ratio ≥ ${TARGET_RATIO} (within 2×).`,
  async run() {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'spendcast-bench-ml-'));
    const service = await startMlService(dataDir);
    try {
      const small = { series: Array.from({ length: SMALL_BATCH }, (_, i) => series(i)), horizon: HORIZON };
      const large = { series: Array.from({ length: LARGE_BATCH }, (_, i) => series(i)), horizon: HORIZON };
      const forecastSmall = () => service.client.forecast(small);
      const forecastLarge = async () => {
        const response = await service.client.forecast(large);
        if (response.series.some((item) => item.method !== proto.Method.MODEL)) throw new Error('a series fell back: the comparison needs every one to run the model');
      };

      await load(1, WARMUP_CALLS, forecastSmall);
      const latency = await load(1, LATENCY_CALLS, forecastSmall);
      await load(1, 2, forecastLarge);
      const grpc = await load(1, THROUGHPUT_CALLS, forecastLarge);

      const bare = await bareModel(service.model.name, service.model.version);
      try {
        const width = HORIZON * core.FEATURE_NAMES.length;
        const rows = new Float32Array(LARGE_BATCH * width);
        large.series.forEach((item, i) => rows.set(core.featureRows({ ...item, interval: 'month' }, HORIZON, bare.metadata), i * width));
        const feeds = { [bare.metadata.input.name]: new Tensor('float32', rows, [LARGE_BATCH * HORIZON, core.FEATURE_NAMES.length]) };
        await load(1, 2, () => bare.session.run(feeds));
        const baseline = await load(1, THROUGHPUT_CALLS, () => bare.session.run(feeds));

        const seriesPerSecond = (perSecond: number) => round(perSecond * LARGE_BATCH, 0);
        return {
          rows: [
            { what: `Forecast, ${SMALL_BATCH} series`, calls: latency.operations, perSecond: latency.perSecond, latencyMs: latency.latencyMs },
            { what: `bare onnxruntime run, ${LARGE_BATCH} series (${LARGE_BATCH * HORIZON} rows)`, calls: baseline.operations, seriesPerSecond: seriesPerSecond(baseline.perSecond), latencyMs: baseline.latencyMs },
            { what: `Forecast, ${LARGE_BATCH} series`, calls: grpc.operations, seriesPerSecond: seriesPerSecond(grpc.perSecond), latencyMs: grpc.latencyMs },
          ],
          ratio: round(grpc.perSecond / baseline.perSecond, 3),
        };
      } finally {
        await bare.session.release();
      }
    } finally {
      await service.stop();
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};
