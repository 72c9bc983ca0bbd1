/** A shared key-value cache. Values are strings; callers serialise. Losing it must only cost speed. */
export interface Cache {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Reads and deletes in one step: of two concurrent takers, only one gets the value. */
  take(key: string): Promise<string | undefined>;
  /** Atomically adds one and returns the new value; used as a generation counter to invalidate families of keys. */
  increment(key: string): Promise<number>;
}
