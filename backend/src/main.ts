import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { announceServingModel, buildApp } from './app';
import { createModels } from './modules/models';
import { Outbox } from './platform/bus';
import { loadConfigOrExit } from './platform/config';
import { createLogger } from './platform/logging';
import { openRuntime } from './runtime';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const startedAt = performance.now();
  const runtime = await openRuntime(config, logger);
  const { app, consumers, realtime, chores, servingModel } = buildApp(runtime);

  const server = app.listen(config.http.port, config.http.host);
  realtime.attach(server);
  await once(server, 'listening');
  await runtime.bus.start(consumers);
  for (const chore of chores) chore.start();
  const { registry, schedule: retraining } = createModels({ ...runtime, config: config.models, events: new Outbox(runtime.transactions, runtime.bus.committed) });
  retraining?.start();
  // Not fatal: until it succeeds, forecasts are only cached while the model announced before serves.
  await announceServingModel(registry, servingModel, config.models.name).catch((error: unknown) => logger.warn({ err: error }, 'could not announce the serving forecast model'));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, draining requests');
    const forced = setTimeout(() => {
      logger.warn('drain timeout reached; closing remaining connections');
      server.closeAllConnections();
    }, config.http.shutdownTimeoutMs);
    realtime.close();
    server.close();
    server.closeIdleConnections();
    await once(server, 'close');
    clearTimeout(forced);
    await retraining?.stop();
    await Promise.all(chores.map((chore) => chore.stop()));
    await runtime.close();
    logger.info('stopped');
  };
  // Handlers before the announcement: a supervisor that stops the product the moment it reads "ready" must get
  // a clean stop, not the default action of a signal nobody listens to yet. `on`, not `once`: under `npm start`
  // Ctrl-C reaches the product from the terminal and again from the launcher; a repeat must not kill the drain.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutdown(signal));

  const { port } = server.address() as AddressInfo;
  const url = `http://${['0.0.0.0', '127.0.0.1', '::', '::1'].includes(config.http.host) ? 'localhost' : config.http.host}:${port}`;
  logger.info({ url, dataDir: config.dataDir, data: runtime.locations, startupMs: Math.round(performance.now() - startedAt) }, `Spendcast is ready at ${url}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`Spendcast failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
