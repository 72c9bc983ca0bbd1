import { createLogger, type Logger } from '../logging';
import { PeriodicChore } from './periodic-chore';

describe('PeriodicChore', () => {
  const logger = createLogger('silent');

  it('runs one chore at a time: a run asked for while one is in progress joins it', async () => {
    const inProgress: Array<() => void> = [];
    const chore = new PeriodicChore('test', 60_000, () => new Promise<void>((resolve) => inProgress.push(resolve)), logger);

    const first = chore.runNow();
    const second = chore.runNow();
    expect(inProgress).toHaveLength(1);
    inProgress[0]!();
    await Promise.all([first, second]);
    const third = chore.runNow();
    inProgress[1]?.();
    await third;

    expect(inProgress).toHaveLength(2);
  });

  it('logs a failed run instead of rejecting, and runs again when asked', async () => {
    const { watched, warnings } = watchWarnings();
    let attempts = 0;
    const chore = new PeriodicChore('flaky', 60_000, async () => {
      if (++attempts === 1) throw new Error('database away');
    }, watched);

    await expect(chore.runNow()).resolves.toBeUndefined();
    await chore.runNow();

    expect([attempts, warnings.length]).toEqual([2, 1]);
  });

  it('logs a chore that throws before returning a promise instead of throwing', async () => {
    const { watched, warnings } = watchWarnings();
    const chore = new PeriodicChore('eager', 60_000, () => {
      throw new Error('not configured');
    }, watched);

    await expect(chore.runNow()).resolves.toBeUndefined();

    expect(warnings).toHaveLength(1);
  });

  it('runs on its interval once started, and waits for the run in progress when stopped', async () => {
    jest.useFakeTimers();
    try {
      let runs = 0;
      let finishRun = (): void => undefined;
      const chore = new PeriodicChore('ticking', 1_000, () => {
        runs++;
        return new Promise<void>((resolve) => (finishRun = resolve));
      }, logger);
      chore.start();
      await jest.advanceTimersByTimeAsync(1_000);
      finishRun();
      await jest.advanceTimersByTimeAsync(1_000);
      expect(runs).toBe(2);

      let stopped = false;
      const stopping = chore.stop().then(() => (stopped = true));
      // Advancing the clock also lets every settled promise run its callbacks, so a stop() that did not wait
      // for the second run would have resolved by now.
      await jest.advanceTimersByTimeAsync(1_000);
      expect(stopped).toBe(false);
      finishRun();
      await stopping;
      await jest.advanceTimersByTimeAsync(5_000);
      expect(runs).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });

  function watchWarnings(): { watched: Logger; warnings: unknown[] } {
    const warnings: unknown[] = [];
    const watched = Object.assign(Object.create(logger) as Logger, { warn: (...args: unknown[]) => void warnings.push(args) });
    return { watched, warnings };
  }
});
