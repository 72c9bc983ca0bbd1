import { InferenceSession, Tensor } from 'onnxruntime-node';
import { assertFeatureSpec, FEATURE_NAMES, type ModelMetadata } from '../forecast';
import type { ModelArtifacts, ModelSource } from './model-registry';

export interface QuantileColumns {
  p10: Float32Array;
  p50: Float32Array;
  p90: Float32Array;
}

/** One model version with its onnxruntime session, created once and reused by every call. */
export class OnnxModel {
  readonly loadedAt = new Date();

  private constructor(
    readonly name: string,
    readonly version: string,
    readonly source: ModelSource,
    readonly metadata: ModelMetadata,
    private readonly session: InferenceSession,
  ) {}

  /** Refuses a model serving cannot feed or read, so a bad upload never replaces a working model. */
  static async create(artifacts: ModelArtifacts): Promise<OnnxModel> {
    const { metadata } = artifacts;
    assertFeatureSpec(metadata);
    const session = await InferenceSession.create(artifacts.onnx, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
    const model = new OnnxModel(artifacts.name, artifacts.version, artifacts.source, metadata, session);
    try {
      await model.predict(new Float32Array(FEATURE_NAMES.length));
    } catch (error) {
      await session.release();
      throw new Error(`${artifacts.name}@${artifacts.version} fails a one-row trial run: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return model;
  }

  /** Runs the model once over row-major feature rows (FEATURE_NAMES.length values each). */
  async predict(rows: Float32Array): Promise<QuantileColumns> {
    const count = rows.length / FEATURE_NAMES.length;
    const { input, outputs } = this.metadata;
    const results = await this.session.run({ [input.name]: new Tensor('float32', rows, [count, FEATURE_NAMES.length]) });
    const column = (name: string) => {
      const tensor = results[name];
      if (tensor?.type !== 'float32' || tensor.data.length !== count) throw new Error(`output ${name}: expected ${count} float32 values`);
      return tensor.data as Float32Array;
    };
    return { p10: column(outputs.p10), p50: column(outputs.p50), p90: column(outputs.p90) };
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
