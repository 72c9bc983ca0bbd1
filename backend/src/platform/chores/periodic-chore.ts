import type { Logger } from '../logging';

/**
 * Background upkeep that each replica runs on a timer (pruning a journal, say): one run at a time,
 * a failure logged and tried again at the next tick, the timer never holding the process open.
 */
export class PeriodicChore {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    readonly name: string,
    private readonly intervalMs: number,
    private readonly chore: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.runNow(), this.intervalMs).unref();
  }

  /** One run now (or the one in progress); resolves when it is over, never rejects. */
  runNow(): Promise<void> {
    // Called inside an executor so that a chore throwing before it returns a promise becomes a logged failure
    // like any other, not an exception that would kill the process from the interval callback.
    this.running ??= new Promise((resolve) => resolve(this.chore()))
      .then((result) => this.logger.debug({ chore: this.name, result }, 'chore done'))
      .catch((error: unknown) => this.logger.warn({ err: error, chore: this.name }, 'chore failed; trying again at the next interval'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** No more runs; waits for the one in progress. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
