// When a newly registered model replaces the one serving: only when it forecasts better on the same
// series. Its training run backtests the serving model (the incumbent) beside it, on the same series
// and origins, and the report holds both mean MASEs in its headline table (months when the training
// data has any). Scores from two training runs are never compared: each measures its own data.
import { INCUMBENT_METHOD, MODEL_METHOD, type TrainingReport } from './artifacts';

export interface ModelVersion {
  name: string;
  version: string;
}

export interface PromotionVerdict {
  promote: boolean;
  reason: string;
}

/** A method's mean MASE in the headline table, or undefined when the backtest scored no series with it. */
export function meanMase(report: TrainingReport, method: string = MODEL_METHOD): number | undefined {
  const mase = report.methods[method]?.maseMean;
  return mase !== undefined && Number.isFinite(mase) ? mase : undefined;
}

/**
 * Whether the candidate should replace the serving model (the active one, or the shipped one while
 * nothing is active), and why. With nothing serving, any scored candidate wins. Otherwise it must beat
 * that very version in its own backtest: a report that scored another version, or could not score this
 * one, keeps the candidate waiting for an operator. A tie keeps the incumbent: swapping models has a
 * cost and gains nothing.
 */
export function promotionVerdict(candidate: TrainingReport, serving: ModelVersion | undefined): PromotionVerdict {
  const challenger = meanMase(candidate);
  if (challenger === undefined) return { promote: false, reason: 'the backtest scored no series with the candidate' };
  if (!serving) return { promote: true, reason: 'no model serves yet' };
  const label = `${serving.name}@${serving.version}`;
  const scored = candidate.incumbent;
  if (!scored || scored.name !== serving.name || scored.version !== serving.version) {
    const instead = scored ? `it scored ${scored.name}@${scored.version}` : 'it scored no incumbent';
    return { promote: false, reason: `the candidate's backtest did not score the serving model ${label} (${instead})` };
  }
  const current = meanMase(candidate, INCUMBENT_METHOD);
  if (!scored.comparable || current === undefined) {
    return { promote: false, reason: `the serving model ${label} could not be scored on the candidate's series: ${scored.reason ?? 'no rows'}` };
  }
  const scores = `mean MASE ${challenger.toFixed(3)} against ${current.toFixed(3)} for ${label} on the same series`;
  return challenger < current ? { promote: true, reason: `it beats the serving model: ${scores}` } : { promote: false, reason: `it does not beat the serving model: ${scores}` };
}
