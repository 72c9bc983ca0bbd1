import type { Pool } from 'pg';
import type { BlobStore } from '../../platform/blob';
import type { EventPublisher } from '../../platform/bus';
import { AdvisoryLock, type UnitOfWork } from '../../platform/database';
import type { Logger } from '../../platform/logging';
import { CreateMlModels1795561780000 } from './migrations/1795561780000-CreateMlModels';
import { MlModelEntity } from './models.entity';
import { ModelsRepository, TrainingDataRepository } from './models.repository';
import { ModelRegistryService } from './models.service';
import { PythonTrainer } from './python-trainer';
import { RetrainSchedule } from './retrain-schedule';
import { RetrainingService, type Trainer } from './retraining.service';
import { shippedModel } from './shipped-models';

export { MlModelEntity, type ModelStatus } from './models.entity';
export { ModelRegistryService, type RegisteredModel } from './models.service';
export { RetrainSchedule } from './retrain-schedule';
export { RetrainingService, type RetrainOutcome, type Trainer, type TrainingJob } from './retraining.service';
export const modelsEntities = [MlModelEntity];
export const modelsMigrations = [CreateMlModels1795561780000];

export interface ModelsConfig {
  name: string;
  shippedDirectory: string;
  training: { python: string; directory: string };
  retrain: { billThreshold: number; checkIntervalMs: number };
}

export interface ModelsDependencies {
  config: ModelsConfig;
  transactions: UnitOfWork;
  blobs: BlobStore;
  events: EventPublisher;
  /** The schema owner's pool: the export reads every tenant's bills, and the lock lives there. */
  ownerPool: Pool;
  logger: Logger;
  /** Defaults to the Python pipeline in `config.training`. */
  trainer?: Trainer;
}

/** The registry, the retraining and its schedule, built from their ports. */
export function createModels(deps: ModelsDependencies) {
  const { config, logger } = deps;
  const registry = new ModelRegistryService(
    deps.transactions,
    new ModelsRepository(deps.transactions),
    deps.blobs,
    deps.events,
    (name) => shippedModel(config.shippedDirectory, name),
    logger.child({ component: 'model-registry' }),
  );
  const retraining = new RetrainingService(
    new TrainingDataRepository(deps.ownerPool),
    deps.trainer ?? new PythonTrainer(config.training.python, config.training.directory, logger),
    registry,
    new AdvisoryLock(deps.ownerPool, `spendcast:retrain:${config.name}`),
    logger.child({ component: 'retraining' }),
    { modelName: config.name, billThreshold: config.retrain.billThreshold },
  );
  // 0 turns the schedule off; retraining by command still works.
  const schedule = config.retrain.billThreshold > 0 ? new RetrainSchedule(retraining, logger, config.retrain.checkIntervalMs) : undefined;
  return { registry, retraining, schedule };
}
