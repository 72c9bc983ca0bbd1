/**
 * What the product asks of ml-service, in its own terms (periods as ISO dates, money as major-unit
 * numbers). ml-service is optional: every answer may be "unavailable", with the reason, and the
 * caller decides what to show instead.
 */
export interface MlClient {
  /** The quantiles of the `horizon` periods after the history. */
  forecast(history: SpendHistory, horizon: number): Promise<MlAnswer<Forecast>>;
  /** A verdict per bill, each judged against the other bills given. */
  detectAnomalies(bills: AnomalyCandidate[]): Promise<MlAnswer<AnomalyVerdict[]>>;
  close(): void;
}

/**
 * NOT_CONFIGURED: no ML_GRPC_URL. CIRCUIT_OPEN: recent calls failed, so none is tried for a while.
 * TIMEOUT: no answer within the deadline. UNAVAILABLE: ml-service is down, has no model, or failed.
 */
export const ML_UNAVAILABLE_REASONS = ['NOT_CONFIGURED', 'CIRCUIT_OPEN', 'TIMEOUT', 'UNAVAILABLE'] as const;
export type MlUnavailableReason = (typeof ML_UNAVAILABLE_REASONS)[number];

export interface MlUnavailable {
  available: false;
  reason: MlUnavailableReason;
  /** For people: what happened, without internals. */
  message: string;
}

export type MlAnswer<T> = { available: true; value: T } | MlUnavailable;

export interface SpendHistory {
  interval: 'week' | 'month';
  /** The first day of the period of values[0]: the first of a month, or the Monday of an ISO week. */
  firstPeriod: string;
  /** Spending per period, oldest first, in major units; not empty. */
  values: number[];
}

export interface Forecast {
  model: { name: string; version: string };
  /** `fallback` when the history is too short for the model. */
  method: 'model' | 'fallback';
  /** The fallback used, e.g. "recent-mean"; null with the model. */
  fallback: string | null;
  /** In major units; p10 ≤ p50 ≤ p90. */
  periods: Array<{ start: string; p10: number; p50: number; p90: number }>;
}

export interface AnomalyCandidate {
  id: string;
  /** Major units, not negative. */
  amount: number;
  categoryId: string;
  /** Quoted in reasons. */
  categoryName: string;
  /** Empty when unknown. */
  payee: string;
}

export interface AnomalyVerdict {
  id: string;
  score: number;
  anomalous: boolean;
  /** Why, in words, e.g. "450.00 is 45.0× the median (10.00) of 20 other Groceries bills". */
  reason: string;
}
