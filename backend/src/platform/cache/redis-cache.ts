import type { Redis } from 'ioredis';
import type { Cache } from './cache.port';

/**
 * Shares the runtime's Redis connection (the runtime closes it). While Redis is unreachable, reads
 * miss and writes are dropped, reported through `onError`: a cache outage costs speed, not answers.
 */
export class RedisCache implements Cache {
  constructor(
    private readonly redis: Redis,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return this.degrade(async () => (await this.redis.get(key)) ?? undefined, undefined);
  }

  async set(key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.degrade(async () => void (await this.redis.set(key, value, 'EX', ttlSeconds)), undefined);
  }

  async delete(key: string): Promise<void> {
    await this.degrade(async () => void (await this.redis.del(key)), undefined);
  }

  async take(key: string): Promise<string | undefined> {
    return this.degrade(async () => (await this.redis.getdel(key)) ?? undefined, undefined);
  }

  /** Counters carry meaning (generations, limits), so a failure here is the caller's to handle. */
  async increment(key: string): Promise<number> {
    return this.redis.incr(key);
  }

  private async degrade<T>(operation: () => Promise<T>, fallback: T): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      this.onError(error);
      return fallback;
    }
  }
}
