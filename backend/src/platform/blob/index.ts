export { assertBlobKey, InvalidBlobKey } from './blob-store.port';
export type { BlobInfo, BlobStore } from './blob-store.port';
export { LocalBlobStore } from './local-blob-store';
export { S3BlobStore } from './s3-blob-store';
