import { ConfigError, loadConfig, type Config } from './platform/config';
import { createLogger } from './platform/logger';
import { startMlService } from './ml-service';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG: the operator must fix the environment, restarting will not help.
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config.logLevel);
  const service = await startMlService(config, logger);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new calls, draining in-flight ones');
    await service.stop();
    logger.info('stopped');
  };
  // Handlers before the announcement, so that stopping the service the moment it says so is a clean stop.
  // `on`, not `once`: Ctrl-C reaches every process of the group and parents forward it too; a repeat must not kill the drain.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void shutdown(signal));

  logger.info({ address: service.address, metrics: service.metricsUrl, model: service.models.current && `${service.models.current.name}@${service.models.current.version}` }, `ml-service is listening on ${service.address}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`ml-service failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
