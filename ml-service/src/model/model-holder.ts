// Keeps the active model loaded and swaps to a newly promoted version without a restart. A call
// runs start to finish on the model it began with; a replaced model's session is released once the
// last such call returns.
import { FeatureSpecMismatch } from '../forecast';
import type { Logger } from '../platform/logger';
import type { ModelRef, ModelRegistry } from './model-registry';
import { OnnxModel } from './onnx-model';

export class ModelUnavailable extends Error {
  constructor() {
    super('no model is loaded yet');
    this.name = 'ModelUnavailable';
  }
}

interface Slot {
  model: OnnxModel;
  inFlight: number;
  /** Set once the slot is replaced: called when no call uses the model any more. */
  idle?: () => void;
}

export interface ModelHolderOptions {
  pollIntervalMs: number;
  /** Called after each successful swap, e.g. to report SERVING and the model gauge. */
  onLoaded(model: OnnxModel): void;
  onLoadFailed(error: unknown): void;
}

export class ModelHolder {
  private slot: Slot | undefined;
  /** Releases of replaced models, pending until their last call returns. */
  private readonly releases = new Set<Promise<void>>();
  private poller: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private recheck = false;
  /** The active version last refused for its feature spec, while it stays active. */
  private unfeedable: ModelRef | undefined;
  private closed = false;

  constructor(
    private readonly registry: ModelRegistry,
    private readonly logger: Logger,
    private readonly options: ModelHolderOptions,
  ) {}

  get current(): OnnxModel | undefined {
    return this.slot?.model;
  }

  /** Loads the active model (a failure is logged and retried by polling) and starts polling. */
  async start(): Promise<void> {
    await this.refresh();
    this.poller = setInterval(() => void this.refresh(), this.options.pollIntervalMs);
    this.poller.unref();
  }

  /**
   * Checks the registry and swaps when another version is active. Resolves after a check that began
   * after this call, so a caller told "a model was just promoted" sees it; concurrent calls share checks.
   */
  refresh(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.recheck = true;
    this.checking ??= this.checkUntilCurrent().finally(() => (this.checking = undefined));
    return this.checking;
  }

  /** Runs `work` on the current model, which stays loaded until `work` settles. */
  async use<T>(work: (model: OnnxModel) => Promise<T>): Promise<T> {
    const slot = this.slot;
    if (!slot) throw new ModelUnavailable();
    slot.inFlight++;
    try {
      return await work(slot.model);
    } finally {
      slot.inFlight--;
      this.releaseWhenIdle(slot);
    }
  }

  /** Stops polling and releases every session once the calls using it have returned. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.poller);
    await this.checking;
    if (this.slot) this.retire(this.slot);
    this.slot = undefined;
    await Promise.all(this.releases);
  }

  private async checkUntilCurrent(): Promise<void> {
    while (this.recheck) {
      this.recheck = false;
      try {
        await this.check();
      } catch (error) {
        const serving = this.describe(this.slot?.model);
        this.logger.error({ err: error, serving }, `could not load the active model; ${serving ? `${serving} keeps serving` : 'retrying at the next poll'}`);
        this.options.onLoadFailed(error);
      }
    }
  }

  private async check(): Promise<void> {
    const active = await this.registry.active();
    const wanted = sameModel(active, this.unfeedable) ? await this.registry.shipped() : active;
    const current = this.slot?.model;
    if (current && sameModel(current, wanted)) return;
    let model: OnnxModel;
    try {
      model = await OnnxModel.create(await this.registry.load(wanted));
    } catch (error) {
      if (!(error instanceof FeatureSpecMismatch) || wanted.source !== 'registry') throw error;
      // A model promoted before an upgrade changed the features: this release cannot feed it, and the model
      // shipped with it serves until one trained for its features is promoted (the backend's next retraining
      // backtests against that one too). Remembered, so polling does not download the refused model again.
      this.unfeedable = wanted;
      this.logger.warn({ err: error, refused: `${wanted.name}@${wanted.version}` }, 'the active model was trained on other features than this release computes; the shipped model serves instead');
      return this.check();
    }
    const previous = this.slot;
    this.slot = { model, inFlight: 0 };
    if (previous) this.retire(previous);
    this.logger.info({ model: this.describe(model), previous: this.describe(previous?.model) }, 'model loaded');
    this.options.onLoaded(model);
  }

  private retire(slot: Slot): void {
    const released: Promise<void> = new Promise<void>((resolve) => (slot.idle = resolve))
      .then(() => slot.model.release())
      .catch((error: unknown) => this.logger.warn({ err: error, model: this.describe(slot.model) }, 'releasing a replaced model failed'))
      .finally(() => this.releases.delete(released));
    this.releases.add(released);
    this.releaseWhenIdle(slot);
  }

  private releaseWhenIdle(slot: Slot): void {
    if (slot.inFlight === 0) slot.idle?.();
  }

  private describe(model: OnnxModel | undefined): string | undefined {
    return model && `${model.name}@${model.version} (${model.source})`;
  }
}

function sameModel(a: ModelRef, b: ModelRef | undefined): boolean {
  return b !== undefined && a.name === b.name && a.version === b.version && a.source === b.source;
}
