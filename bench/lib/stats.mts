/** Latency percentiles from raw samples, in milliseconds. */
export function percentiles(samples: number[]): { p50: number; p95: number; p99: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * Runs `operation` from `concurrency` workers until `total` operations are done and returns the
 * throughput and per-operation latency: the shape every benchmark here reports. With `seconds`, it
 * stops starting new operations once that time has passed and at least `atLeast` were started.
 */
export async function load(concurrency: number, total: number, operation: (index: number) => Promise<unknown>, budget: { seconds?: number; atLeast?: number } = {}) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const deadline = budget.seconds === undefined ? Infinity : started + budget.seconds * 1000;
  const more = () => next < total && (next < (budget.atLeast ?? 0) || performance.now() < deadline);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (more()) {
        const index = next++;
        const begin = performance.now();
        await operation(index);
        latencies.push(performance.now() - begin);
      }
    }),
  );
  return summary(latencies, started);
}

/**
 * Open loop: starts operation i at `i / perSecond` seconds, whether or not earlier ones returned
 * (at most `maxInFlight` at once, as a client's connection pool would), and measures each latency
 * from its scheduled start, so time spent queued behind a slow request counts (no coordinated
 * omission). This is the latency a user sees at that request rate, where the closed loop of `load`
 * measures what saturation costs.
 */
export async function paced(perSecond: number, total: number, maxInFlight: number, operation: (index: number) => Promise<unknown>) {
  const latencies: number[] = [];
  const started = performance.now();
  const slots = Array.from({ length: maxInFlight }, () => Promise.resolve());
  for (let index = 0; index < total; index++) {
    const scheduled = started + (index * 1000) / perSecond;
    const slot = index % maxInFlight;
    const wait = scheduled - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    await slots[slot];
    slots[slot] = operation(index).then(() => void latencies.push(performance.now() - scheduled));
  }
  await Promise.all(slots);
  return summary(latencies, started);
}

/** What every benchmark here reports of a run that started at `started`: throughput and latency percentiles. */
function summary(latencies: number[], started: number) {
  const seconds = (performance.now() - started) / 1000;
  return { operations: latencies.length, seconds: round(seconds, 3), perSecond: round(latencies.length / seconds, 1), latencyMs: mapValues(percentiles(latencies), (v) => round(v, 3)) };
}

export function mapValues<T extends Record<string, number>>(values: T, map: (value: number) => number): T {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, map(value)])) as T;
}
