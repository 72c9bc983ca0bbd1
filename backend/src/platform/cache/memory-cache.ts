import { LRUCache } from 'lru-cache';
import type { Cache } from './cache.port';

/** The embedded default: bounded in size, entries expire by TTL; counters never expire. */
export class MemoryCache implements Cache {
  private readonly entries = new LRUCache<string, string>({ max: 50_000, ttlAutopurge: false });

  async get(key: string): Promise<string | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, value, { ttl: ttlSeconds * 1000 });
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async take(key: string): Promise<string | undefined> {
    const value = this.entries.get(key);
    this.entries.delete(key);
    return value;
  }

  async increment(key: string): Promise<number> {
    const next = Number(this.entries.get(key) ?? '0') + 1;
    this.entries.set(key, String(next));
    return next;
  }
}
