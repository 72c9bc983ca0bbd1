import type { Redis } from 'ioredis';
import type { RequestHandler } from 'express';
import { rateLimiter } from '../../platform/http';
import type { Logger } from '../../platform/logging';
import { LoginRateLimited } from './auth.errors';

export interface LoginLimitOptions {
  perIp: number;
  perAccount: number;
  windowMs: number;
  redis?: Redis;
  logger: Logger;
}

/**
 * Two limits on password attempts: per client IP (every attempt counts), and per account (only
 * failures count, so a user's own sign-ins never lock them out), shared through Redis when configured.
 */
export function loginLimits(options: LoginLimitOptions): RequestHandler[] {
  const common = { windowMs: options.windowMs, redis: options.redis, logger: options.logger, error: () => new LoginRateLimited() };
  const account = (body: unknown) => {
    const email = (body as { email?: unknown } | undefined)?.email;
    return typeof email === 'string' ? email.trim().toLowerCase() : undefined;
  };
  return [
    rateLimiter({ ...common, max: options.perIp, prefix: 'login-ip' }),
    rateLimiter({ ...common, max: options.perAccount, prefix: 'login-account', key: (req) => account(req.body), failuresOnly: true }),
  ];
}
