import type { Logger } from '../../platform/logging';
import type { RetrainingService } from './retraining.service';

/**
 * Every interval, retrains when enough new bills came in (RETRAIN_BILL_THRESHOLD). Each replica runs
 * the schedule; the retraining's lock lets one of them train at a time.
 */
export class RetrainSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly retraining: RetrainingService,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref();
  }

  /** One check now; resolves when it (and any training it started) is over. */
  check(): Promise<void> {
    this.running ??= this.retraining
      .retrainIfDue(this.abort.signal)
      .then((result) => this.logger.debug({ result }, 'retraining check'))
      .catch((error: unknown) => {
        // Stopping the backend kills a training in progress: expected, not a failure.
        if (this.abort.signal.aborted) this.logger.info('retraining stopped by shutdown; its model is not registered');
        else this.logger.error({ err: error }, 'retraining failed; the next check tries again');
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** Stops checking and stops a training in progress (its model is not registered). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.abort.abort();
    await this.running;
  }
}
