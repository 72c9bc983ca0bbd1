// Where the active model comes from. The training pipeline uploads `models/<name>/<version>/model.onnx`
// and `metadata.json`; whoever promotes a version (the pipeline, or an operator) writes the pointer
// `models/<name>/active.json` = {"version": "<version>"}. Without a pointer the model shipped in the
// repository serves, so a fresh install forecasts before anyone has trained anything.
import { readdir } from 'node:fs/promises';
import { z } from 'zod';
import { modelMetadataSchema, type ModelMetadata } from '../forecast';
import { LocalObjectReader, type ObjectReader } from '../platform/object-store';

export type ModelSource = 'registry' | 'shipped';

export interface ModelRef {
  name: string;
  version: string;
  source: ModelSource;
}

export interface ModelArtifacts extends ModelRef {
  onnx: Buffer;
  metadata: ModelMetadata;
}

// A version becomes part of object keys and file paths: no separators, no `..`.
const versionSchema = z.string().regex(/^(?!\.\.?$)[\w.-]{1,128}$/, 'must be 1–128 letters, digits, ".", "_" or "-"');
const pointerSchema = z.looseObject({ version: versionSchema });

export class ModelRegistry {
  private readonly shippedFiles: ObjectReader;

  constructor(
    private readonly store: ObjectReader,
    private readonly name: string,
    private readonly shippedDirectory: string,
  ) {
    this.shippedFiles = new LocalObjectReader(shippedDirectory);
  }

  /** The version that should serve now: cheap (one small object), so it can be polled. */
  async active(): Promise<ModelRef> {
    const pointerKey = `models/${this.name}/active.json`;
    const pointer = await this.store.get(pointerKey);
    if (pointer) {
      const parsed = pointerSchema.safeParse(JSON.parse(pointer.toString('utf8')));
      if (!parsed.success) throw new Error(`${pointerKey} in ${this.store.location}: ${z.prettifyError(parsed.error)}`);
      return { name: this.name, version: parsed.data.version, source: 'registry' };
    }
    return this.shipped();
  }

  /** The newest model shipped in the repository, trained on the features this release computes. */
  async shipped(): Promise<ModelRef> {
    return { name: this.name, version: await this.newestShippedVersion(), source: 'shipped' };
  }

  async load(ref: ModelRef): Promise<ModelArtifacts> {
    const [reader, prefix] = ref.source === 'registry' ? [this.store, `models/${ref.name}/${ref.version}`] : [this.shippedFiles, `${ref.name}/${ref.version}`];
    const read = async (file: string) => {
      const body = await reader.get(`${prefix}/${file}`);
      if (!body) throw new Error(`${prefix}/${file} is missing from ${reader.location}`);
      return body;
    };
    const [onnx, metadataJson] = await Promise.all([read('model.onnx'), read('metadata.json')]);
    const metadata = modelMetadataSchema.parse(JSON.parse(metadataJson.toString('utf8')));
    if (metadata.name !== ref.name || metadata.version !== ref.version) {
      throw new Error(`${prefix}/metadata.json describes ${metadata.name}@${metadata.version}, not ${ref.name}@${ref.version}`);
    }
    return { ...ref, onnx, metadata };
  }

  /** Versions sort naturally ("v10" after "v9", dates in order): the newest shipped one is the default. */
  private async newestShippedVersion(): Promise<string> {
    const directory = `${this.shippedDirectory}/${this.name}`;
    const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
    const versions = entries
      .filter((entry) => entry.isDirectory() && versionSchema.safeParse(entry.name).success)
      .map((entry) => entry.name)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    const newest = versions.at(-1);
    if (!newest) throw new Error(`no active version of ${this.name} in the registry and none shipped in ${directory}`);
    return newest;
  }
}
