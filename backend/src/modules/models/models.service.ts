import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BlobStore } from '../../platform/blob';
import type { EventPublisher } from '../../platform/bus';
import type { Transactions } from '../../platform/database';
import type { Logger } from '../../platform/logging';
import { ARTIFACT_FILES, featureSpecOf, modelMetrics, readModelDirectory, type ArtifactFile, type TrainingReport } from './artifacts';
import type { ModelStatus } from './models.entity';
import { ModelNotFeedable, ModelNotFound, ModelNotPromotable, ModelVersionExists } from './models.errors';
import type { ModelsRepository } from './models.repository';
import { meanMase, promotionVerdict, type ModelVersion, type PromotionVerdict } from './promotion';
import type { ShippedModel } from './shipped-models';

/** Registry work is back-office work: it acts for no user. */
const SYSTEM = { userId: null };

/** Where a model's training series came from, when it was the product's own bills. */
export interface ProductData {
  bills: number;
  /** Bills created up to this instant were exported. */
  cutoff: Date;
}

export interface RegisteredModel {
  name: string;
  version: string;
  status: ModelStatus;
}

const versionPrefix = (name: string, version: string) => `models/${name}/${version}/`;
/** The pointer ml-service reads: the version that serves. */
const pointerKey = (name: string) => `models/${name}/active.json`;
/** What the trainer needs of the serving model to backtest it beside a candidate. */
const INCUMBENT_FILES = ['model.onnx', 'metadata.json'] as const satisfies readonly ArtifactFile[];

/** The model ml-service serves: the active version in the registry, else the shipped one. */
type ServingModel = ModelVersion & ({ source: 'registry' } | { source: 'shipped'; directory: string });

/**
 * The model registry: a version's artifacts in object storage under `models/<name>/<version>/`, its row
 * in ml_models, and `models/<name>/active.json` naming the version that serves. Each registration or
 * promotion tells ml-service through `model.registered`, in the transaction that records it.
 */
export class ModelRegistryService {
  constructor(
    private readonly transactions: Transactions,
    private readonly repository: ModelsRepository,
    private readonly blobs: BlobStore,
    private readonly events: EventPublisher,
    /** The shipped model: the one to beat while nothing is active. */
    private readonly shippedModel: (name: string) => Promise<ShippedModel | undefined>,
    private readonly logger: Logger,
  ) {}

  /**
   * Uploads a model directory as the trainer wrote it, records it, and promotes it when its backtest
   * shows it beating the serving model on the same series (`promotionVerdict`). Objects first, then
   * the row: a failure anywhere removes the objects again, so no row or pointer ever names a version
   * whose files are not all there.
   */
  async register(directory: string, productData?: ProductData): Promise<RegisteredModel> {
    const { metadata, report, files } = await readModelDirectory(directory);
    const { name, version, trainingData } = metadata;
    const prefix = versionPrefix(name, version);
    // Cleaning up after a failure removes what is under the prefix, so it must hold nothing of anyone else's.
    const registered = await this.transactions.run(SYSTEM, () => this.repository.find(name, version));
    if (registered || (await this.blobs.list(prefix)).length > 0) throw new ModelVersionExists(name, version);

    const uploaded: string[] = [];
    try {
      for (const [file, contentType] of Object.entries(ARTIFACT_FILES)) {
        await this.blobs.put(prefix + file, files[file as ArtifactFile], contentType);
        uploaded.push(prefix + file);
      }
      return await this.withPointer(async (pointTo) => {
        const status = meanMase(report) === undefined ? 'failed' : 'candidate';
        await this.repository.insert({
          name,
          version,
          status,
          metrics: modelMetrics(report),
          dataFrom: trainingData.from,
          dataTo: trainingData.to,
          seriesCount: trainingData.series,
          billCount: productData?.bills ?? null,
          dataCutoff: productData?.cutoff ?? null,
          promotedAt: null,
        });
        if (status === 'candidate') {
          const verdict = await this.verdict(report, name);
          this.logger.info({ name, version, reason: verdict.reason }, verdict.promote ? 'registry: promoting the new model' : 'registry: keeping the new model as a candidate');
          if (verdict.promote) {
            await this.activate(name, version, pointTo);
            return { name, version, status: 'active' };
          }
        }
        await this.announce(name, version, status);
        return { name, version, status };
      });
    } catch (error) {
      await Promise.all(uploaded.map((key) => this.blobs.delete(key)));
      throw error;
    }
  }

  /**
   * Makes a registered version the one that serves, whatever its backtest says (an operator's call), unless
   * it was trained on other features than this release's: ml-service would go on serving the shipped model.
   */
  async promote(name: string, version: string): Promise<void> {
    await this.withPointer(async (pointTo) => {
      const model = await this.repository.find(name, version);
      if (!model) throw new ModelNotFound(name, version);
      if (model.status === 'failed') throw new ModelNotPromotable(name, version);
      const specs = await this.featureSpecs(name, version, await this.shippedModel(name));
      if (specs && specs.model !== specs.release) throw new ModelNotFeedable(name, version, specs.model, specs.release);
      if (model.status !== 'active') await this.activate(name, version, pointTo);
    });
  }

  /**
   * Writes the serving model's model.onnx and metadata.json into `directory`, for the trainer to
   * backtest beside its candidate; undefined, and nothing written, when no model serves.
   */
  async copyServingModel(name: string, directory: string): Promise<ModelVersion | undefined> {
    const serving = await this.serving(name);
    if (!serving) return undefined;
    await mkdir(directory, { recursive: true });
    for (const file of INCUMBENT_FILES) await writeFile(path.join(directory, file), await this.servingFile(serving, file));
    return { name: serving.name, version: serving.version };
  }

  /** The model ml-service serves: the active version it can feed, else the shipped one; undefined when there is neither. */
  async servingVersion(name: string): Promise<ModelVersion | undefined> {
    const serving = await this.serving(name);
    return serving && { name: serving.name, version: serving.version };
  }

  /** When the newest model trained on the product's bills exported them; undefined before the first. */
  productDataCutoff(name: string): Promise<Date | undefined> {
    return this.transactions.run(SYSTEM, () => this.repository.latestDataCutoff(name));
  }

  private async activate(name: string, version: string, pointTo: (name: string, version: string) => Promise<void>): Promise<void> {
    await this.repository.activate(name, version, new Date());
    await this.announce(name, version, 'active');
    await pointTo(name, version);
  }

  private announce(name: string, version: string, status: ModelStatus): Promise<void> {
    return this.events.publish({ scopeKey: name, payload: { case: 'modelRegistered', value: { name, version, status, artifactKey: `${versionPrefix(name, version)}model.onnx` } } });
  }

  /** Whether a new version replaces the serving model; a serving model that cannot be read keeps it a candidate. */
  private async verdict(report: TrainingReport, name: string): Promise<PromotionVerdict> {
    try {
      return promotionVerdict(report, await this.serving(name));
    } catch (error) {
      // The active version's files are gone or damaged in object storage: ml-service cannot load it either.
      // Registering must not fail for that, or an operator could not register the model that replaces it.
      return { promote: false, reason: `the serving model cannot be read (${error instanceof Error ? error.message : String(error)}); promote the new version by hand` };
    }
  }

  /**
   * The active version, unless it was trained on other features than the shipped model (promoted before an
   * upgrade changed them): ml-service, which feeds only the features of its release, then serves the shipped
   * model, and that is the one a candidate must beat.
   */
  private async serving(name: string): Promise<ServingModel | undefined> {
    const active = await this.transactions.run(SYSTEM, () => this.repository.active(name));
    const shipped = await this.shippedModel(name);
    if (active) {
      const specs = await this.featureSpecs(name, active.version, shipped);
      if (!specs || specs.model === specs.release) return { name, version: active.version, source: 'registry' };
    }
    return shipped && { name, ...shipped, source: 'shipped' };
  }

  /**
   * The feature spec a registered version was trained on, and this release's (the shipped model's, trained
   * for the features this release computes); undefined when no model ships, which leaves nothing to compare.
   */
  private async featureSpecs(name: string, version: string, shipped: ShippedModel | undefined): Promise<{ model: number; release: number } | undefined> {
    if (!shipped) return undefined;
    const specOf = async (model: ServingModel) => featureSpecOf(`${model.name}@${model.version}`, await this.servingFile(model, 'metadata.json'));
    const [model, release] = await Promise.all([specOf({ name, version, source: 'registry' }), specOf({ name, ...shipped, source: 'shipped' })]);
    return { model, release };
  }

  private async servingFile(serving: ServingModel, file: ArtifactFile): Promise<Buffer> {
    if (serving.source === 'shipped') return readFile(path.join(serving.directory, file));
    const key = versionPrefix(serving.name, serving.version) + file;
    const body = await this.blobs.get(key);
    if (!body) throw new Error(`${key} is missing: the serving model cannot be backtested`);
    return body;
  }

  /**
   * Runs `work` in a transaction in which it may move the active pointer. The pointer is not part of
   * the transaction, so it is written last and put back as it was if the transaction does not commit.
   */
  private async withPointer<T>(work: (pointTo: (name: string, version: string) => Promise<void>) => Promise<T>): Promise<T> {
    let restore: (() => Promise<void>) | undefined;
    const pointTo = async (name: string, version: string) => {
      const key = pointerKey(name);
      const previous = await this.blobs.get(key);
      await this.blobs.put(key, Buffer.from(JSON.stringify({ version })), 'application/json');
      restore = () => (previous ? this.blobs.put(key, previous, 'application/json') : this.blobs.delete(key));
    };
    try {
      return await this.transactions.run(SYSTEM, () => work(pointTo));
    } catch (error) {
      await restore?.();
      throw error;
    }
  }
}
