import type { Express } from 'express';
import type { DataSource } from 'typeorm';
import type { Config } from './platform/config';
import { registerHealthRoutes } from './platform/health';
import { ApiRouter, createHttpApp, rateLimiter } from './platform/http';
import type { Logger } from './platform/logging';
import { InboxMailer, registerDevInboxRoutes, type Mailer } from './platform/mail';
import { type Metrics, registerMetricsRoutes } from './platform/metrics';
import { createOpenApiRegistry, docsRouter, generateOpenApiDocument } from './platform/openapi';
import type { BlobStore } from './platform/blob';
import type { Cache } from './platform/cache';
import type { UnitOfWork } from './platform/database';
import type { Redis } from 'ioredis';
import { version } from '../package.json';

/** Everything the routes and services are built from; `openRuntime` makes the real set. */
export interface AppDependencies {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  dataSource: DataSource;
  transactions: UnitOfWork;
  cache: Cache;
  blobs: BlobStore;
  mailer: Mailer;
  /** Present when REDIS_URL is set; shares rate-limit counters across replicas. */
  redis?: Redis;
}

export interface BuiltApp {
  app: Express;
  openapi: ReturnType<typeof generateOpenApiDocument>;
}

/** The composition root of the HTTP side: mounts every module's routes and documents them. */
export function buildApp(deps: AppDependencies): BuiltApp {
  const { config } = deps;
  const api = new ApiRouter(createOpenApiRegistry());

  registerHealthRoutes(api, [{ name: 'database', check: async () => void (await deps.dataSource.query('SELECT 1')) }]);
  registerMetricsRoutes(api, deps.metrics);
  registerDevInboxRoutes(api, deps.mailer instanceof InboxMailer && config.env !== 'production' ? deps.mailer : undefined);

  const openapi = generateOpenApiDocument(api.registry, version);
  const app = createHttpApp({
    logger: deps.logger,
    requestTimer: deps.metrics.httpTimer(),
    corsOrigins: config.http.corsOrigins,
    bodyLimitBytes: config.http.bodyLimitBytes,
    trustProxyHops: config.http.trustProxyHops,
    apiRateLimit: rateLimiter({ ...config.http.rateLimit, redis: deps.redis }),
    routers: [api.router, docsRouter(openapi)],
  });
  return { app, openapi };
}
