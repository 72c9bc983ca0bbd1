import type { Cache } from '../../platform/cache';

const KEY = 'models:serving';
/** Long enough to outlive any model; if the entry is lost, forecasts are cached as before the first announcement. */
const KEEP_SECONDS = 90 * 86_400;

export interface ModelName {
  name: string;
  version: string;
}

/**
 * The forecasting model last announced serving, kept in the shared cache: at each start (the app's
 * `announceServingModel`) and on each promotion (`model.registered`).
 * Cached forecasts name it in their question, so a promotion retires every one of them at once.
 * ml-service swaps a moment after the announcement: a forecast still made by the model it replaces
 * is served, but not kept.
 */
export class ServingModel {
  constructor(private readonly cache: Cache) {}

  /** `name@version`, or undefined while no model was announced (the shipped one serves). */
  announced(): Promise<string | undefined> {
    return this.cache.get(KEY);
  }

  async announce(model: ModelName): Promise<void> {
    await this.cache.set(KEY, label(model), KEEP_SECONDS);
  }
}

export const label = (model: ModelName) => `${model.name}@${model.version}`;
