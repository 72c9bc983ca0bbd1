// Read access to the object storage the backend writes (receipts, model artifacts). ml-service only
// reads: the training pipeline uploads models and whoever promotes one writes its pointer.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from 'minio';
import type { RegistryConfig } from './config';

export interface ObjectReader {
  /** The object's bytes, or undefined when there is no such key. */
  get(key: string): Promise<Buffer | undefined>;
  /** Where objects come from, for logs. */
  readonly location: string;
}

/** Objects as files: `<directory>/<key>`, the layout of the backend's embedded blob store. */
export class LocalObjectReader implements ObjectReader {
  constructor(readonly location: string) {}

  async get(key: string): Promise<Buffer | undefined> {
    return readFile(path.join(this.location, ...key.split('/'))).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR' || error.code === 'EISDIR') return undefined;
      throw error;
    });
  }
}

type S3Config = Extract<RegistryConfig, { kind: 's3' }>;

/** A MinIO client for an endpoint URL, addressing buckets by path as MinIO serves them. */
export function s3Client({ endpoint, accessKey, secretKey, region }: Omit<S3Config, 'kind' | 'bucket'>): Client {
  const url = new URL(endpoint);
  return new Client({
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    useSSL: url.protocol === 'https:',
    accessKey,
    secretKey,
    region,
    pathStyle: true,
  });
}

class S3ObjectReader implements ObjectReader {
  readonly location: string;
  private readonly client: Client;

  constructor(private readonly options: S3Config) {
    this.client = s3Client(options);
    this.location = `${options.endpoint.replace(/\/$/, '')}/${options.bucket}`;
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of await this.client.getObject(this.options.bucket, key)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    } catch (error) {
      // Before the backend first starts there is no bucket: nothing has been registered either.
      const code = (error as { code?: string }).code;
      if (code === 'NoSuchKey' || code === 'NotFound' || code === 'NoSuchBucket') return undefined;
      throw error;
    }
  }
}

export function objectReader(config: RegistryConfig): ObjectReader {
  return config.kind === 's3' ? new S3ObjectReader(config) : new LocalObjectReader(config.directory);
}
