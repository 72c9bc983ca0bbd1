import { Client } from 'minio';
import { assertBlobKey, type BlobInfo, type BlobStore } from './blob-store.port';

export interface S3Options {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region: string;
}

/** S3 or MinIO through the minio client. A single PUT is atomic on the server: readers never see a partial object. */
export class S3BlobStore implements BlobStore {
  private readonly client: Client;
  private readonly bucket: string;
  private readonly region: string;

  constructor(options: S3Options) {
    const url = new URL(options.endpoint);
    this.client = new Client({
      endPoint: url.hostname,
      port: url.port ? Number(url.port) : undefined,
      useSSL: url.protocol === 'https:',
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region,
      pathStyle: true,
    });
    this.bucket = options.bucket;
    this.region = options.region;
  }

  async ensureBucket(): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket))) await this.client.makeBucket(this.bucket, this.region);
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    assertBlobKey(key);
    await this.client.putObject(this.bucket, key, body, body.length, { 'Content-Type': contentType });
  }

  async get(key: string): Promise<Buffer | undefined> {
    assertBlobKey(key);
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of await this.client.getObject(this.bucket, key)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    } catch (error) {
      return missingAsUndefined(error);
    }
  }

  async stat(key: string): Promise<BlobInfo | undefined> {
    assertBlobKey(key);
    try {
      const info = await this.client.statObject(this.bucket, key);
      const contentType = (info.metaData as Record<string, string>)['content-type'] ?? 'application/octet-stream';
      return { size: info.size, contentType };
    } catch (error) {
      return missingAsUndefined(error);
    }
  }

  async delete(key: string): Promise<void> {
    assertBlobKey(key);
    await this.client.removeObject(this.bucket, key);
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    for await (const item of this.client.listObjectsV2(this.bucket, prefix, true) as AsyncIterable<{ name?: string }>) {
      if (item.name) keys.push(item.name);
    }
    return keys.sort();
  }
}

function missingAsUndefined(error: unknown): undefined {
  const code = (error as { code?: string }).code;
  if (code === 'NoSuchKey' || code === 'NotFound') return undefined;
  throw error;
}
