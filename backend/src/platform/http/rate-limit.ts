import { rateLimit, type Store } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Redis } from 'ioredis';
import type { RequestHandler } from 'express';
import { RateLimited } from './errors';

export interface RateLimitOptions {
  max: number;
  windowMs: number;
  /** Shared counters across replicas; without it each process counts on its own. */
  redis?: Redis;
  /** Distinguishes this limiter's counters from others in the same Redis. */
  prefix?: string;
}

export function redisRateLimitStore(redis: Redis, prefix: string): Store {
  return new RedisStore({
    prefix: `rl:${prefix}:`,
    sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
  });
}

export function rateLimiter(options: RateLimitOptions): RequestHandler {
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.max,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: options.redis ? redisRateLimitStore(options.redis, options.prefix ?? 'api') : undefined,
    // A Redis outage must not take the API down with it: count nothing rather than refuse everyone.
    passOnStoreError: true,
    handler: (_req, _res, next) => next(new RateLimited()),
  });
}
