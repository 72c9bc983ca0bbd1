// A model registry in a throw-away MinIO bucket, written the way the training pipeline and a promotion do.
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from 'minio';
import { s3Client } from '../../src/platform/object-store';

const shippedRoot = path.resolve(__dirname, '../../models');

/** The model the repository ships (ml-service/models/<name>/<version>), used as the real model in tests. */
export const shipped = (() => {
  const [name] = readdirSync(shippedRoot);
  if (!name) throw new Error(`no model shipped under ${shippedRoot}`);
  const versions = readdirSync(path.join(shippedRoot, name)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const version = versions.at(-1)!;
  const directory = path.join(shippedRoot, name, version);
  return {
    name,
    version,
    onnx: readFileSync(path.join(directory, 'model.onnx')),
    metadata: JSON.parse(readFileSync(path.join(directory, 'metadata.json'), 'utf8')) as Record<string, unknown> & { maxHorizon: number; minHistory: { month?: number; week?: number } },
  };
})();

export class TestRegistry {
  readonly bucket = `ml-medium-${randomBytes(6).toString('hex')}`;
  private readonly client: Client;

  constructor() {
    this.client = s3Client({ endpoint: process.env.S3_ENDPOINT!, accessKey: process.env.S3_ACCESS_KEY!, secretKey: process.env.S3_SECRET_KEY!, region: 'us-east-1' });
  }

  /** What ml-service needs to read this registry. */
  get env(): Record<string, string> {
    return { S3_ENDPOINT: process.env.S3_ENDPOINT!, S3_ACCESS_KEY: process.env.S3_ACCESS_KEY!, S3_SECRET_KEY: process.env.S3_SECRET_KEY!, S3_BUCKET: this.bucket, MODEL_NAME: shipped.name };
  }

  async create(): Promise<void> {
    await this.client.makeBucket(this.bucket, 'us-east-1');
  }

  /** Uploads the shipped model's weights as `version`, as a training run registers a new model; `metadata` overrides its fields. */
  async publish(version: string, metadata: Record<string, unknown> = {}): Promise<void> {
    const prefix = `models/${shipped.name}/${version}`;
    await this.put(`${prefix}/model.onnx`, shipped.onnx);
    await this.put(`${prefix}/metadata.json`, Buffer.from(JSON.stringify({ ...shipped.metadata, ...metadata, version })));
  }

  async promote(version: string): Promise<void> {
    await this.put(`models/${shipped.name}/active.json`, Buffer.from(JSON.stringify({ version })));
  }

  async drop(): Promise<void> {
    const keys: string[] = [];
    for await (const item of this.client.listObjectsV2(this.bucket, '', true) as AsyncIterable<{ name?: string }>) if (item.name) keys.push(item.name);
    await this.client.removeObjects(this.bucket, keys);
    await this.client.removeBucket(this.bucket);
  }

  private async put(key: string, body: Buffer): Promise<void> {
    await this.client.putObject(this.bucket, key, body, body.length);
  }
}
