import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'minio';
import { InvalidBlobKey, LocalBlobStore, S3BlobStore, type BlobStore } from '../../../src/platform/blob';

const runId = randomBytes(6).toString('hex');
const allByteValues = Buffer.from(Array.from({ length: 256 }, (_, value) => value));

function s3Options(bucket: string) {
  return { endpoint: process.env.S3_ENDPOINT!, accessKey: process.env.S3_ACCESS_KEY!, secretKey: process.env.S3_SECRET_KEY!, bucket, region: 'us-east-1' };
}

/** Removes a contract bucket with everything in it, so runs leave MinIO as they found it. */
async function dropBucket(store: BlobStore, bucket: string): Promise<void> {
  for (const key of await store.list('')) await store.delete(key);
  const url = new URL(process.env.S3_ENDPOINT!);
  const client = new Client({
    endPoint: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    useSSL: url.protocol === 'https:',
    accessKey: process.env.S3_ACCESS_KEY!,
    secretKey: process.env.S3_SECRET_KEY!,
    region: 'us-east-1',
    pathStyle: true,
  });
  await client.removeBucket(bucket);
}

interface Subject {
  store: BlobStore;
  close(): Promise<void>;
}

describe.each<{ name: string; open: () => Promise<Subject> }>([
  {
    name: 'LocalBlobStore',
    open: async () => {
      const root = await mkdtemp(path.join(os.tmpdir(), 'spendcast-blob-contract-'));
      return { store: new LocalBlobStore(root), close: () => rm(root, { recursive: true, force: true }) };
    },
  },
  {
    name: 'S3BlobStore',
    open: async () => {
      const bucket = `contract-${runId}`;
      const store = new S3BlobStore(s3Options(bucket));
      await store.ensureBucket();
      await store.ensureBucket(); // a restart finds the bucket already there
      return { store, close: () => dropBucket(store, bucket) };
    },
  },
])('BlobStore contract: $name', ({ open }) => {
  let subject: Subject;
  let store: BlobStore;
  let key: (name: string) => string;

  beforeAll(async () => {
    subject = await open();
    store = subject.store;
  });

  afterAll(async () => {
    await subject.close();
  });

  beforeEach(() => {
    // Every test works under its own prefix of the shared store.
    const prefix = `t-${randomBytes(4).toString('hex')}`;
    key = (name) => `${prefix}/${name}`;
  });

  it('returns the exact bytes when binary data was put', async () => {
    await store.put(key('all-bytes.bin'), allByteValues, 'application/octet-stream');

    const stored = await store.get(key('all-bytes.bin'));

    expect(stored).toBeInstanceOf(Buffer);
    expect(stored?.equals(allByteValues)).toBe(true);
  });

  it('round-trips an empty object', async () => {
    await store.put(key('empty.txt'), Buffer.alloc(0), 'text/plain');

    expect((await store.get(key('empty.txt')))?.length).toBe(0);
    await expect(store.stat(key('empty.txt'))).resolves.toEqual({ size: 0, contentType: 'text/plain' });
  });

  it('reports the size and content type when a stored object is stat-ed', async () => {
    await store.put(key('receipt.jpg'), allByteValues, 'image/jpeg');

    await expect(store.stat(key('receipt.jpg'))).resolves.toEqual({ size: 256, contentType: 'image/jpeg' });
  });

  it('returns undefined when getting or stat-ing a missing key', async () => {
    await expect(store.get(key('missing.bin'))).resolves.toBeUndefined();
    await expect(store.stat(key('missing.bin'))).resolves.toBeUndefined();
  });

  it('returns undefined when getting or stat-ing a key that is only the prefix of other keys', async () => {
    await store.put(key('folder/inside.txt'), Buffer.from('inside'), 'text/plain');

    await expect(store.get(key('folder'))).resolves.toBeUndefined();
    await expect(store.stat(key('folder'))).resolves.toBeUndefined();
  });

  it('returns undefined when getting or stat-ing a key below the key of an object', async () => {
    await store.put(key('plain'), Buffer.from('a plain object'), 'text/plain');

    await expect(store.get(key('plain/child'))).resolves.toBeUndefined();
    await expect(store.stat(key('plain/child'))).resolves.toBeUndefined();
  });

  it('resolves and keeps the other objects when deleting a key that is only the prefix of other keys', async () => {
    await store.put(key('folder/inside.txt'), Buffer.from('inside'), 'text/plain');
    await store.put(key('plain'), Buffer.from('a plain object'), 'text/plain');

    await expect(store.delete(key('folder'))).resolves.toBeUndefined();
    await expect(store.delete(key('plain/child'))).resolves.toBeUndefined();

    await expect(store.list(key(''))).resolves.toEqual([key('folder/inside.txt'), key('plain')]);
  });

  it('returns undefined and lists nothing when the object was deleted', async () => {
    await store.put(key('doomed.txt'), Buffer.from('bye'), 'text/plain');

    await store.delete(key('doomed.txt'));

    await expect(store.get(key('doomed.txt'))).resolves.toBeUndefined();
    await expect(store.stat(key('doomed.txt'))).resolves.toBeUndefined();
    await expect(store.list(key(''))).resolves.toEqual([]);
  });

  it('resolves when deleting a key that does not exist', async () => {
    await expect(store.delete(key('never-there.txt'))).resolves.toBeUndefined();
  });

  it('lists the keys under a prefix in lexical order, excluding other prefixes', async () => {
    for (const name of ['receipts/b.jpg', 'receipts/a/z.jpg', 'receipts/a.jpg', 'receipts-old/x.jpg', 'models/m.onnx']) {
      await store.put(key(name), Buffer.from(name), 'application/octet-stream');
    }

    await expect(store.list(key('receipts/'))).resolves.toEqual([key('receipts/a.jpg'), key('receipts/a/z.jpg'), key('receipts/b.jpg')]);
    await expect(store.list(key('receipts/a'))).resolves.toEqual([key('receipts/a.jpg'), key('receipts/a/z.jpg')]);
    await expect(store.list(key(''))).resolves.toEqual([
      key('models/m.onnx'),
      key('receipts-old/x.jpg'),
      key('receipts/a.jpg'),
      key('receipts/a/z.jpg'),
      key('receipts/b.jpg'),
    ]);
  });

  it('lists nothing when no key has the prefix', async () => {
    await expect(store.list(key('nothing/'))).resolves.toEqual([]);
  });

  it('replaces the content and content type when a key is overwritten', async () => {
    await store.put(key('report.txt'), Buffer.from('the first, longer version'), 'text/plain');

    await store.put(key('report.txt'), Buffer.from('{"v":2}'), 'application/json');

    expect((await store.get(key('report.txt')))?.toString()).toBe('{"v":2}');
    await expect(store.stat(key('report.txt'))).resolves.toEqual({ size: 7, contentType: 'application/json' });
    await expect(store.list(key(''))).resolves.toEqual([key('report.txt')]);
  });

  describe.each([
    ...['../x', '/abs', 'a//b', 'a/../b', 'a/./b', 'a/..', '.', '', 'a b', 'tab\there'].map((invalid) => ({ label: JSON.stringify(invalid), invalid })),
    { label: '513 characters long', invalid: 'x'.repeat(513) },
  ])('when the key is $label', ({ invalid }) => {
    it('rejects put, get, stat and delete with InvalidBlobKey', async () => {
      await expect(store.put(invalid, Buffer.from('x'), 'text/plain')).rejects.toBeInstanceOf(InvalidBlobKey);
      await expect(store.get(invalid)).rejects.toBeInstanceOf(InvalidBlobKey);
      await expect(store.stat(invalid)).rejects.toBeInstanceOf(InvalidBlobKey);
      await expect(store.delete(invalid)).rejects.toBeInstanceOf(InvalidBlobKey);
    });
  });
});

describe('S3BlobStore.ensureBucket', () => {
  it('creates a missing bucket and resolves again when it already exists', async () => {
    const bucket = `contract-${runId}-ensure`;
    const store = new S3BlobStore(s3Options(bucket));

    await expect(store.ensureBucket()).resolves.toBeUndefined();
    await expect(store.ensureBucket()).resolves.toBeUndefined();
    await store.put('probe.txt', Buffer.from('ok'), 'text/plain');
    expect((await store.get('probe.txt'))?.toString()).toBe('ok');

    await dropBucket(store, bucket);
  });
});

describe('LocalBlobStore when a write fails', () => {
  let root: string;
  let store: LocalBlobStore;

  const leftovers = async (directory: string) => readdir(path.join(root, directory)).catch(() => [] as string[]);

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'spendcast-blob-failure-'));
    store = new LocalBlobStore(root);
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('leaves nothing behind when the parent path of the key is a regular file', async () => {
    await store.put('reports', Buffer.from('a plain object'), 'text/plain');

    await expect(store.put('reports/2026.csv', Buffer.from('a,b'), 'text/csv')).rejects.toThrow();

    await expect(store.list('')).resolves.toEqual(['reports']);
    await expect(store.stat('reports/2026.csv')).resolves.toBeUndefined();
    await expect(leftovers('staging')).resolves.toEqual([]);
    expect((await store.get('reports'))?.toString()).toBe('a plain object');
  });

  it('leaves nothing behind when the final rename fails because the key is a directory', async () => {
    await store.put('archive/2025.csv', Buffer.from('kept'), 'text/csv');

    await expect(store.put('archive', Buffer.from('never stored'), 'application/zip')).rejects.toThrow();

    await expect(store.list('')).resolves.toEqual(['archive/2025.csv']);
    await expect(store.stat('archive')).resolves.toBeUndefined();
    await expect(leftovers('staging')).resolves.toEqual([]);
    // No content type of the failed put outlives it beside the object it never wrote.
    await expect(leftovers('meta')).resolves.toEqual(['archive']);
  });

});
