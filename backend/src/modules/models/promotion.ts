// When a newly registered model replaces the active one: only when its backtest says it forecasts
// better. The measure is the model's mean MASE in the report's headline table (months when the
// training data has any), the figure the training targets are stated in.
import { MODEL_METHOD, type TrainingReport } from './artifacts';

/** The model's mean MASE, or undefined when the backtest scored no series with it. */
export function meanMase(report: TrainingReport): number | undefined {
  const mase = report.methods[MODEL_METHOD]?.maseMean;
  return mase !== undefined && Number.isFinite(mase) ? mase : undefined;
}

/**
 * Whether the candidate should become active. The incumbent is the active model's report, or the
 * shipped model's when nothing is active; with no incumbent at all, any scored candidate wins. A tie
 * keeps the incumbent: swapping models has a cost and gains nothing.
 */
export function beatsIncumbent(candidate: TrainingReport, incumbent: TrainingReport | undefined): boolean {
  const challenger = meanMase(candidate);
  if (challenger === undefined) return false;
  const current = incumbent && meanMase(incumbent);
  return current === undefined || challenger < current;
}
