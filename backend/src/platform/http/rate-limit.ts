import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import type { Logger } from '../logging';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import type { Redis } from 'ioredis';
import type { Request, RequestHandler } from 'express';
import { RateLimited, type AppError } from './errors';

export interface RateLimitOptions {
  max: number;
  windowMs: number;
  /** Shared counters across replicas; without it each process counts on its own. */
  redis?: Redis;
  /** Where the limiter reports a store it cannot reach (and its own misconfigurations). */
  logger: Logger;
  /** Distinguishes this limiter's counters from others in the same Redis. */
  prefix?: string;
  /** What to count by; defaults to the client IP. Returning undefined lets the request through uncounted. */
  key?: (req: Request) => string | undefined;
  /** Count only requests that fail (status ≥ 400), e.g. wrong passwords. */
  failuresOnly?: boolean;
  /** The error answered once the limit is reached. */
  error?: () => AppError;
}

function redisStore(redis: Redis, prefix: string): Store {
  return new RedisStore({
    prefix: `rl:${prefix}:`,
    sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as Promise<RedisReply>,
  });
}

export function rateLimiter(options: RateLimitOptions): RequestHandler {
  const key = options.key;
  return rateLimit({
    windowMs: options.windowMs,
    limit: options.max,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: options.redis ? redisStore(options.redis, options.prefix ?? 'api') : undefined,
    keyGenerator: key ? (req) => key(req) ?? '' : (req) => ipKeyGenerator(req.ip ?? ''),
    skip: key ? (req) => key(req) === undefined : undefined,
    skipSuccessfulRequests: options.failuresOnly ?? false,
    // A Redis outage must not take the API down with it: count nothing rather than refuse everyone,
    // and say so in the product's structured log, not on the console.
    passOnStoreError: true,
    logger: {
      error: (error, message) => options.logger.warn({ err: error }, message),
      warn: (error, message) => options.logger.warn({ err: error }, message),
    },
    handler: (_req, _res, next) => next(options.error?.() ?? new RateLimited()),
  });
}
