import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Logger } from '../../platform/logging';
import type { ModelRegistryService, RegisteredModel } from './models.service';
import type { MonthlySpend } from './training-export';
import { anonymisedSeries, monthStart } from './training-export';

/** The product's bills across every tenant, as the retraining reads them. */
export interface TrainingData {
  billsCreatedAfter(instant: Date | undefined): Promise<number>;
  monthlySpend(cutoff: Date, before: string): Promise<MonthlySpend[]>;
}

export interface TrainingJob {
  csvFile: string;
  outDirectory: string;
  name: string;
  /** The serving model's model.onnx and metadata.json, to backtest beside the candidate; absent when none serves. */
  incumbentDirectory?: string;
}

/** Trains, backtests and exports a model directory (model.onnx, metadata.json, report.*, backtest.png). */
export interface Trainer {
  train(job: TrainingJob, signal?: AbortSignal): Promise<void>;
}

/** Runs work while no other process (replica, command) runs work under the same lock; never waits for it. */
export interface ExclusiveLock {
  tryRun<T>(work: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }>;
}

export type RetrainOutcome =
  | { outcome: 'registered'; model: RegisteredModel; series: number; bills: number }
  | { outcome: 'not-due'; newBills: number }
  | { outcome: 'no-data' }
  | { outcome: 'busy' };

export interface RetrainingOptions {
  modelName: string;
  /** New bills since the newest model's export that make retraining due. */
  billThreshold: number;
}

/** Retraining on the product's own bills: export them anonymised, train and backtest, register (promoting when better). */
export class RetrainingService {
  constructor(
    private readonly data: TrainingData,
    private readonly trainer: Trainer,
    private readonly registry: ModelRegistryService,
    private readonly lock: ExclusiveLock,
    private readonly logger: Logger,
    private readonly options: RetrainingOptions,
  ) {}

  /** Retrains now, unless another run holds the lock. */
  retrain(signal?: AbortSignal): Promise<RetrainOutcome> {
    return this.locked(() => this.run(signal));
  }

  /** Retrains when enough bills were created since the newest model's data was exported. */
  retrainIfDue(signal?: AbortSignal): Promise<RetrainOutcome> {
    // Counted under the lock: a replica that waited out another's run then sees that run's cutoff.
    return this.locked(async () => {
      const newBills = await this.data.billsCreatedAfter(await this.registry.productDataCutoff(this.options.modelName));
      if (newBills < this.options.billThreshold) return { outcome: 'not-due', newBills };
      this.logger.info({ newBills, threshold: this.options.billThreshold }, 'retraining: enough new bills since the last model');
      return this.run(signal);
    });
  }

  private async locked(work: () => Promise<RetrainOutcome>): Promise<RetrainOutcome> {
    const result = await this.lock.tryRun(work);
    return result.acquired ? result.value : { outcome: 'busy' };
  }

  private async run(signal?: AbortSignal): Promise<RetrainOutcome> {
    const cutoff = new Date();
    // Only complete months: the current one would read as a drop in spending.
    const exported = anonymisedSeries(await this.data.monthlySpend(cutoff, monthStart(cutoff)), monthStart(cutoff, -1));
    if (exported.series === 0) return { outcome: 'no-data' };

    const workspace = await mkdtemp(path.join(os.tmpdir(), 'spendcast-retrain-'));
    try {
      const csvFile = path.join(workspace, 'series.csv');
      const outDirectory = path.join(workspace, 'model');
      await writeFile(csvFile, exported.csv);
      // Promotion compares the candidate with the serving model on the same series: the trainer scores both.
      const incumbentDirectory = path.join(workspace, 'incumbent');
      const incumbent = await this.registry.copyServingModel(this.options.modelName, incumbentDirectory);
      this.logger.info({ series: exported.series, bills: exported.bills, incumbent }, 'retraining: training on the exported series');
      const started = performance.now();
      await this.trainer.train({ csvFile, outDirectory, name: this.options.modelName, incumbentDirectory: incumbent && incumbentDirectory }, signal);
      const model = await this.registry.register(outDirectory, { bills: exported.bills, cutoff });
      this.logger.info({ model, trainingSeconds: Math.round((performance.now() - started) / 1000) }, 'retraining: registered the new model');
      return { outcome: 'registered', model, series: exported.series, bills: exported.bills };
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  }
}
