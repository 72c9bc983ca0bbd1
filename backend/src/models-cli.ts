// The model registry from the command line (the root's `npm run retrain` and `npm run models` run it):
//   retrain            export the product's bills anonymised, train, backtest, register (promoting when better)
//   register <dir>     register a model directory the trainer wrote (promoting when its backtest beat the
//                      serving model on the same series: trained with --incumbent)
//   promote <version>  make a registered version the one that serves
// It connects as the backend does (same variables, same embedded defaults under DATA_DIR).
import path from 'node:path';
import { createModels } from './modules/models';
import { Outbox } from './platform/bus';
import { loadConfigOrExit } from './platform/config';
import { createLogger } from './platform/logging';
import { openRuntime } from './runtime';

const USAGE = 'usage: models-cli retrain | register <model directory> | promote <version>';

async function main(): Promise<number> {
  const [command, argument] = process.argv.slice(2);
  if (!command || (command !== 'retrain' && !argument)) {
    process.stderr.write(`${USAGE}\n`);
    return 64; // EX_USAGE
  }
  const config = loadConfigOrExit();
  const logger = createLogger(config.logLevel);
  const runtime = await openRuntime(config, logger);
  try {
    const models = createModels({ ...runtime, config: config.models, events: new Outbox(runtime.transactions, runtime.bus.committed) });
    switch (command) {
      case 'retrain': {
        const result = await models.retraining.retrain();
        logger.info({ result }, `retraining: ${result.outcome}`);
        // EX_TEMPFAIL: another replica or command is retraining; try again later.
        return result.outcome === 'busy' ? 75 : 0;
      }
      case 'register':
        logger.info({ model: await models.registry.register(path.resolve(argument!)) }, 'registered');
        return 0;
      case 'promote':
        await models.registry.promote(config.models.name, argument!);
        logger.info({ name: config.models.name, version: argument }, 'promoted');
        return 0;
      default:
        process.stderr.write(`${USAGE}\n`);
        return 64;
    }
  } finally {
    await runtime.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
