import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Logger } from '../../platform/logging';
import type { Trainer, TrainingJob } from './retraining.service';

/**
 * The Python training pipeline (ml-service/training) as a child process:
 * `python -m spendcast_forecast.train --out <dir> --input-csv <file> --name <name> [--incumbent <dir>]`. Its progress lines
 * go to the log; aborting kills it.
 */
export class PythonTrainer implements Trainer {
  constructor(
    private readonly python: string,
    private readonly trainingDirectory: string,
    private readonly logger: Logger,
  ) {}

  async train(job: TrainingJob, signal?: AbortSignal): Promise<void> {
    const args = ['-m', 'spendcast_forecast.train', '--out', job.outDirectory, '--input-csv', job.csvFile, '--name', job.name];
    if (job.incumbentDirectory) args.push('--incumbent', job.incumbentDirectory);
    // Low priority: training shares the machine with the API it runs beside.
    const child = spawn('nice', [this.python, ...args], { cwd: this.trainingDirectory, stdio: ['ignore', 'ignore', 'pipe'], signal });
    const log = this.logger.child({ component: 'trainer' });
    const tail: string[] = [];
    createInterface({ input: child.stderr }).on('line', (line) => {
      log.info(line);
      tail.push(line);
      if (tail.length > 20) tail.shift();
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new Error(`the trainer (${this.python} ${args.join(' ')}) exited with ${code}:\n${tail.join('\n')}`);
  }
}
