import type { Express } from 'express';
import type { Redis } from 'ioredis';
import type { DataSource } from 'typeorm';
import { version } from '../package.json';
import { AuditRepository, AuditService, registerAuditRoutes } from './modules/audit';
import {
  AccessTokens,
  AuthRepository,
  AuthService,
  bearerAuthenticator,
  createExternalSignIn,
  loginLimits,
  registerAuthRoutes,
  registerOAuthRoutes,
  SecretBox,
  type AuthMaterial,
} from './modules/auth';
import {
  BillsRepository,
  BillsService,
  BillTotals,
  JOURNAL_PRUNE_INTERVAL_MS,
  type BillChangeListener,
  CategoriesRepository,
  CategoriesService,
  ExchangeRatesRepository,
  ExchangeRatesService,
  registerBillsRoutes,
  registerCategoriesRoutes,
  registerExchangeRateRoutes,
} from './modules/bills';
import { BudgetsRepository, BudgetsService, registerBudgetsRoutes } from './modules/budgets';
import { GroupsRepository, GroupsService, registerGroupsRoutes } from './modules/groups';
import { cachedAnswersConsumer, insightsConsumer, InsightsRepository, InsightsService, registerInsightsRoutes, ServingModel, servingModelConsumer } from './modules/insights';
import type { ModelRegistryService } from './modules/models';
import { realtimeConsumer, RealtimeGateway } from './modules/realtime';
import { registerUsersRoutes, UsersRepository, UsersService } from './modules/users';
import type { BlobStore } from './platform/blob';
import { Outbox, type EventBus, type EventConsumer } from './platform/bus';
import { ScopedAnswers, type Cache } from './platform/cache';
import { PeriodicChore } from './platform/chores';
import type { Config } from './platform/config';
import type { UnitOfWork } from './platform/database';
import { registerHealthRoutes } from './platform/health';
import { PostgresIdempotency } from './platform/idempotency';
import { ApiRouter, createHttpApp, rateLimiter } from './platform/http';
import type { Logger } from './platform/logging';
import { InboxMailer, registerDevInboxRoutes, type Mailer } from './platform/mail';
import { registerMetricsRoutes, type Metrics } from './platform/metrics';
import type { MlClient } from './platform/ml';
import { createOpenApiRegistry, docsRouter, generateOpenApiDocument } from './platform/openapi';

/** Everything the routes and services are built from; `openRuntime` makes the real set. */
export interface AppDependencies {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** The outbox relay and the consumers; started once the app is built. */
  bus: EventBus;
  dataSource: DataSource;
  transactions: UnitOfWork;
  cache: Cache;
  blobs: BlobStore;
  mailer: Mailer;
  auth: AuthMaterial;
  /** ml-service, or a stand-in that answers "not configured". */
  ml: MlClient;
  /** Present when REDIS_URL is set; shares rate-limit counters across replicas. */
  redis?: Redis;
}

export interface BuiltApp {
  app: Express;
  openapi: ReturnType<typeof generateOpenApiDocument>;
  /** What consumes the event bus; `deps.bus.start(consumers)` once the server listens. */
  consumers: EventConsumer[];
  /** Serves the WebSocket endpoint on the HTTP server. */
  realtime: RealtimeGateway;
  /** Upkeep on a timer; `start()` each once the server listens, `stop()` on shutdown. */
  chores: PeriodicChore[];
  /** The forecasting model cached forecasts are keyed by; see `announceServingModel`. */
  servingModel: ServingModel;
}

/**
 * Names the model that serves now to the forecast cache; run at start. After an upgrade that changed the
 * forecast features, the model announced active before it is not the one serving (ml-service serves the
 * shipped model instead), and forecasts keyed by its name would never be cached again.
 */
export async function announceServingModel(registry: ModelRegistryService, servingModel: ServingModel, name: string): Promise<void> {
  const serving = await registry.servingVersion(name);
  if (serving) await servingModel.announce(serving);
}

/** The composition root of the HTTP side: builds each module's service from its ports and mounts its routes. */
export function buildApp(deps: AppDependencies): BuiltApp {
  const { config, transactions } = deps;

  const events = new Outbox(transactions, deps.bus.committed);
  // Answers computed from a scope's bills (dashboard aggregates, forecasts), cached until its bills change.
  const answers = new ScopedAnswers(deps.cache, 600, (error) => deps.logger.warn({ err: error }, 'cache unavailable; cached insights may be up to 10 minutes old'));
  const retireAnswers: BillChangeListener = { afterCommit: (change) => answers.retire(change) };
  const servingModel = new ServingModel(deps.cache);
  const insights = new InsightsService(transactions, new InsightsRepository(transactions), answers, deps.ml, servingModel);
  const budgets = new BudgetsService(transactions, new BudgetsRepository(transactions), events);
  // Everything that changes spending tells the rollup's readers: the cached answers and the budget alerts.
  const spendingListeners = [retireAnswers, budgets.billListener];
  const categories = new CategoriesService(transactions, new CategoriesRepository(transactions), spendingListeners);
  const groups = new GroupsService(transactions, new GroupsRepository(transactions), categories, events);
  const billsRepository = new BillsRepository(transactions);
  const bills = new BillsService(transactions, billsRepository, new PostgresIdempotency(transactions), events, new BillTotals(billsRepository, deps.cache), spendingListeners);
  const users = new UsersService(transactions, new UsersRepository(transactions), categories, groups, deps.mailer, events, answers, config.http.publicUrl);
  const tokens = new AccessTokens(deps.auth.signingKey, config.auth.issuer, config.auth.accessTokenTtlSeconds);
  const auth = new AuthService(
    transactions,
    new AuthRepository(transactions),
    users,
    tokens,
    deps.auth.passwords,
    new SecretBox(deps.auth.secretsKey),
    deps.cache,
    deps.logger,
    config.auth.refreshTokenTtlDays * 86_400_000,
  );

  const api = new ApiRouter(createOpenApiRegistry(), bearerAuthenticator(auth));
  registerHealthRoutes(api, [{ name: 'database', check: async () => void (await deps.dataSource.query('SELECT 1')) }]);
  registerMetricsRoutes(api, deps.metrics);
  registerAuthRoutes(api, auth, { loginLimits: loginLimits({ ...config.auth.loginRateLimit, redis: deps.redis, logger: deps.logger }), jwks: () => tokens.jwks() });
  registerOAuthRoutes(api, createExternalSignIn({ auth, cache: deps.cache, logger: deps.logger, config }));
  registerUsersRoutes(api, users);
  registerGroupsRoutes(api, groups);
  registerCategoriesRoutes(api, categories);
  registerBillsRoutes(api, bills);
  registerInsightsRoutes(api, insights);
  registerBudgetsRoutes(api, budgets);
  registerExchangeRateRoutes(api, new ExchangeRatesService(transactions, new ExchangeRatesRepository(transactions)));
  registerAuditRoutes(api, new AuditService(transactions, new AuditRepository(transactions), groups));
  registerDevInboxRoutes(api, deps.mailer instanceof InboxMailer && config.env !== 'production' ? deps.mailer : undefined);

  const realtime = new RealtimeGateway((token) => tokens.verify(token), deps.logger, config.events.websocket);
  // Without Redis each replica caches in its own memory; with Kafka there may be several replicas,
  // and this is how each hears of the others' bill changes (a single replica's listener suffices).
  const answerRetirement = config.events.kafka && !deps.redis ? [cachedAnswersConsumer(answers)] : [];
  const consumers = [realtimeConsumer(realtime), insightsConsumer(), servingModelConsumer(servingModel), ...answerRetirement];

  const openapi = generateOpenApiDocument(api.registry, version);
  const app = createHttpApp({
    logger: deps.logger,
    requestTimer: deps.metrics.httpTimer(),
    corsOrigins: config.http.corsOrigins,
    bodyLimitBytes: config.http.bodyLimitBytes,
    trustProxyHops: config.http.trustProxyHops,
    apiRateLimit: rateLimiter({ ...config.http.rateLimit, redis: deps.redis, logger: deps.logger }),
    routers: [api.router, docsRouter(openapi)],
  });
  const chores = [new PeriodicChore('prune the bill change journal', JOURNAL_PRUNE_INTERVAL_MS, () => bills.pruneChangeJournal(), deps.logger)];
  return { app, openapi, consumers, realtime, chores, servingModel };
}
