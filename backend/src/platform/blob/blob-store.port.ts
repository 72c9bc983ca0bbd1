export interface BlobInfo {
  size: number;
  contentType: string;
}

/** Object storage for receipts and model artifacts. Keys are `/`-separated paths such as `receipts/<id>.jpg`. */
export interface BlobStore {
  /** Stores the whole object or nothing: a failed upload leaves no partial object behind. */
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /** The object's bytes, or undefined when there is no such key. */
  get(key: string): Promise<Buffer | undefined>;
  stat(key: string): Promise<BlobInfo | undefined>;
  /** Removes the object; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Keys under the prefix, in lexical order. */
  list(prefix: string): Promise<string[]>;
}

const safeKey = /^(?!\/)(?!.*\/\/)(?!.*(?:^|\/)\.\.?(?:\/|$))[\w./-]{1,512}$/;

export class InvalidBlobKey extends Error {
  constructor(key: string) {
    super(`Invalid blob key: ${JSON.stringify(key)}`);
  }
}

/** Rejects keys that could escape a directory or differ between stores (`..`, `//`, leading `/`, odd characters). */
export function assertBlobKey(key: string): void {
  if (!safeKey.test(key)) throw new InvalidBlobKey(key);
}
