import express, { type Express, type RequestHandler } from 'express';
import cors from 'cors';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../logging';
import { RouteNotFound } from './errors';
import { problemHandler } from './problem';
import { requestId } from './request-id';

export interface HttpOptions {
  logger: Logger;
  /** Measures each request (the metrics package's timer). */
  requestTimer: RequestHandler;
  corsOrigins: string[];
  bodyLimitBytes: number;
  trustProxyHops: number;
  /** Applied to /api only; probes and metrics are never limited. */
  apiRateLimit: RequestHandler;
  /** Routers mounted in order after the common middleware. */
  routers: RequestHandler[];
}

/** The middleware stack every request passes, in order; the routes come from the modules. */
export function createHttpApp(options: HttpOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxyHops);
  app.set('query parser', 'extended');

  app.use(requestId());
  app.use(
    pinoHttp({
      logger: options.logger,
      genReqId: (req) => req.id,
      // Probes hit these every few seconds; logging them drowns the rest.
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics' },
      serializers: {
        req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({ id: req.id, method: req.method, url: req.url, remoteAddress: req.remoteAddress }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use(options.requestTimer);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // Swagger UI styles itself inline; everything else stays strict.
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
          // TLS is the proxy's business; upgrading would break plain-HTTP installs on localhost.
          'upgrade-insecure-requests': null,
        },
      },
    }),
  );
  app.use(
    cors({
      origin: (origin, callback) => callback(null, origin === undefined || options.corsOrigins.includes(origin)),
      credentials: true,
      exposedHeaders: ['X-Request-Id', 'ETag', 'RateLimit', 'RateLimit-Policy', 'Location'],
    }),
  );
  app.use('/api', options.apiRateLimit);
  app.use(express.json({ limit: options.bodyLimitBytes }));
  for (const router of options.routers) app.use(router);

  app.use((req) => {
    throw new RouteNotFound(req.method, req.path);
  });
  app.use(problemHandler(options.logger));
  return app;
}
