// The composition root: registry → model holder (told by model.registered events) → gRPC server (Forecaster + health) and /metrics.
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { Forecaster, grpcServiceDefinition } from '@spendcast/proto';
import { HealthImplementation } from 'grpc-health-check';
import { forecasterService } from './forecaster/forecaster.grpc';
import { ModelEvents } from './model/model-events';
import { ModelHolder } from './model/model-holder';
import { ModelRegistry } from './model/model-registry';
import { hostPort } from './platform/address';
import type { Config } from './platform/config';
import type { Logger } from './platform/logger';
import { Metrics, serveMetrics } from './platform/metrics';
import { objectReader } from './platform/object-store';

export interface MlService {
  /** host:port of the gRPC server. */
  address: string;
  metricsUrl: string;
  models: ModelHolder;
  /** Stops accepting calls, lets in-flight ones finish (cancelling them after the shutdown timeout), releases the models. */
  stop(): Promise<void>;
}

export async function startMlService(config: Config, logger: Logger): Promise<MlService> {
  const metrics = new Metrics();
  const store = objectReader(config.registry);
  // '' is the whole server, as probes ask by default; the service name is for clients that ask for it.
  const healthNames = ['', Forecaster.typeName];
  const health = new HealthImplementation(Object.fromEntries(healthNames.map((name) => [name, 'NOT_SERVING'])));
  const setHealth = (status: 'SERVING' | 'NOT_SERVING') => healthNames.forEach((name) => health.setStatus(name, status));

  const models = new ModelHolder(new ModelRegistry(store, config.model.name, config.model.shippedDirectory), logger, {
    pollIntervalMs: config.model.pollIntervalMs,
    onLoaded: (model) => {
      metrics.modelLoaded(model);
      setHealth('SERVING');
    },
    onLoadFailed: () => metrics.modelLoadFailures.inc(),
  });

  const server = new Server();
  server.addService(grpcServiceDefinition(Forecaster), forecasterService({ models, limits: config.limits, logger, metrics }));
  health.addToServer(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(hostPort(config.grpc.host, config.grpc.port), ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  const metricsServer = await serveMetrics(metrics, config.metrics.host, config.metrics.port);
  logger.info({ registry: store.location, model: config.model.name }, 'loading the active model');
  // Health says NOT_SERVING until this succeeds; if it fails, polling keeps trying.
  await models.start();
  const events = config.events && new ModelEvents(config.events, config.model.name, () => models.refresh(), logger);
  events?.start();

  return {
    address: hostPort(config.grpc.host, port),
    metricsUrl: metricsServer.url,
    models,
    stop: async () => {
      setHealth('NOT_SERVING');
      await new Promise<void>((resolve) => {
        const forced = setTimeout(() => {
          logger.warn('shutdown timeout reached; cancelling the calls still running');
          server.forceShutdown();
        }, config.grpc.shutdownTimeoutMs);
        server.tryShutdown(() => {
          clearTimeout(forced);
          resolve();
        });
      });
      await events?.stop();
      await models.close();
      await metricsServer.close();
    },
  };
}
