// Model directories as the trainer writes them, made from the model the repository ships (a real
// training run takes minutes), and a throw-away MinIO bucket to register them in.
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'minio';

export const SHIPPED_MODELS_DIR = path.resolve(__dirname, '../../../ml-service/models');
export const MODEL_NAME = 'spendcast-forecast';
export const SHIPPED_VERSION = '2026.12.03';
export const SHIPPED = path.join(SHIPPED_MODELS_DIR, MODEL_NAME, SHIPPED_VERSION);

/** The shipped model's mean MASE in its backtest. */
export const SHIPPED_MASE = 0.8380361897711731;

/** The serving model as a training run backtested it beside the candidate. */
export interface ScoredIncumbent {
  version: string;
  maseMean: number;
}

/**
 * A copy of the shipped model directory as version `version`; `maseMean` rewrites the model's score in
 * the report's headline table (null: the backtest scored nothing), `incumbent` adds the serving model's
 * row and names it (without it the report scored no incumbent).
 */
export async function modelDirectory(version: string, maseMean: number | null = SHIPPED_MASE, into?: string, incumbent?: ScoredIncumbent): Promise<string> {
  const directory = into ?? path.join(await mkdtemp(path.join(os.tmpdir(), 'spendcast-model-')), version);
  await cp(SHIPPED, directory, { recursive: true });
  const metadata = JSON.parse(await readFile(path.join(directory, 'metadata.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(path.join(directory, 'metadata.json'), JSON.stringify({ ...metadata, version }));
  const report = JSON.parse(await readFile(path.join(directory, 'report.json'), 'utf8')) as {
    methods: Record<string, { maseMean: number }>;
    headline: Record<string, unknown>;
    incumbent?: unknown;
  };
  if (maseMean === null) {
    report.methods = {};
    report.headline = {};
  } else {
    report.methods['spendcast-lgbm']!.maseMean = maseMean;
  }
  if (incumbent) {
    report.methods['incumbent'] = { ...report.methods['spendcast-lgbm']!, maseMean: incumbent.maseMean };
    report.incumbent = { name: MODEL_NAME, version: incumbent.version, comparable: true, reason: null };
  }
  await writeFile(path.join(directory, 'report.json'), JSON.stringify(report));
  return directory;
}

export class TestBucket {
  readonly name = `models-${randomBytes(6).toString('hex')}`;
  readonly client = new Client({
    endPoint: new URL(process.env.S3_ENDPOINT!).hostname,
    port: Number(new URL(process.env.S3_ENDPOINT!).port) || undefined,
    useSSL: false,
    accessKey: process.env.S3_ACCESS_KEY!,
    secretKey: process.env.S3_SECRET_KEY!,
    region: 'us-east-1',
    pathStyle: true,
  });

  /** The variables that point the backend at this bucket (it creates the bucket at start). */
  get env(): Record<string, string> {
    return { S3_ENDPOINT: process.env.S3_ENDPOINT!, S3_ACCESS_KEY: process.env.S3_ACCESS_KEY!, S3_SECRET_KEY: process.env.S3_SECRET_KEY!, S3_BUCKET: this.name, SHIPPED_MODELS_DIR, MODEL_NAME };
  }

  async keys(prefix = ''): Promise<string[]> {
    const keys: string[] = [];
    for await (const item of this.client.listObjectsV2(this.name, prefix, true) as AsyncIterable<{ name?: string }>) if (item.name) keys.push(item.name);
    return keys.sort();
  }

  async json(key: string): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.client.getObject(this.name, key)) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  }

  async drop(): Promise<void> {
    await this.client.removeObjects(this.name, await this.keys());
    await this.client.removeBucket(this.name);
  }
}
