// What a training run writes into its model directory, and the parts of it the registry reads: the
// model's name and version, its training window (metadata.json) and its backtest (report.json).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { BacktestScores, ModelMetrics } from './models.entity';

/** The method name of the model itself in the backtest tables; the other methods are the anchors. */
export const MODEL_METHOD = 'spendcast-lgbm';
/** The method name of the model that served when the candidate trained, backtested on the candidate's series. */
export const INCUMBENT_METHOD = 'incumbent';

/** Every file of a model directory, uploaded as `models/<name>/<version>/<file>`. */
export const ARTIFACT_FILES = {
  'model.onnx': 'application/octet-stream',
  'metadata.json': 'application/json',
  'report.json': 'application/json',
  'report.md': 'text/markdown; charset=utf-8',
  'backtest.png': 'image/png',
} as const;
export type ArtifactFile = keyof typeof ARTIFACT_FILES;

const scores = z.object({
  maseMean: z.number(),
  maseMedian: z.number(),
  wape: z.number(),
  coverage: z.number(),
  meanWidth: z.number(),
  series: z.number(),
  forecasts: z.number(),
}) satisfies z.ZodType<BacktestScores>;

// A version becomes part of object keys: no separators, no `..` (ml-service applies the same rule).
const versionSchema = z.string().regex(/^(?!\.\.?$)[\w.-]{1,128}$/, 'must be 1–128 letters, digits, ".", "_" or "-"');

const metadataSchema = z.looseObject({
  name: z.string().regex(/^[\w.-]+$/),
  version: versionSchema,
  /** The features the model was trained on (ml-service/training/FEATURES.md); serving feeds one spec only. */
  featureSpecVersion: z.number().int().positive(),
  trainingData: z.looseObject({ from: z.iso.date(), to: z.iso.date(), series: z.number().int().min(0) }),
});

const reportSchema = z.looseObject({
  /** The headline interval's table (months when there are any); empty when no series could be backtested. */
  methods: z.record(z.string(), scores),
  headline: z.record(z.string(), z.record(z.string(), scores)),
  modelByHorizon: z.record(z.string(), z.record(z.string(), scores)),
  /** Which model the `incumbent` rows are; null (or, from older trainers, absent) when the trainer was given none. */
  incumbent: z
    .looseObject({
      name: z.string(),
      version: z.string(),
      /** False when today's features cannot feed it: then there are no `incumbent` rows, and `reason` says why. */
      comparable: z.boolean(),
      reason: z.string().nullable(),
    })
    .nullish(),
});

export type ModelMetadata = z.infer<typeof metadataSchema>;
export type TrainingReport = z.infer<typeof reportSchema>;

export interface ModelArtifacts {
  metadata: ModelMetadata;
  report: TrainingReport;
  files: Record<ArtifactFile, Buffer>;
}

export class InvalidModelDirectory extends Error {}

function parse<T>(schema: z.ZodType<T>, file: string, body: Buffer): T {
  const parsed = schema.safeParse(JSON.parse(body.toString('utf8')));
  if (!parsed.success) throw new InvalidModelDirectory(`${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The feature spec a model's metadata.json names. */
export function featureSpecOf(file: string, metadataJson: Buffer): number {
  return parse(metadataSchema, file, metadataJson).featureSpecVersion;
}

/** Reads a model directory as the trainer writes it; fails naming the missing or malformed file. */
export async function readModelDirectory(directory: string): Promise<ModelArtifacts> {
  const entries = await Promise.all(
    Object.keys(ARTIFACT_FILES).map(async (file) => {
      const body = await readFile(path.join(directory, file)).catch((error: NodeJS.ErrnoException) => {
        throw new InvalidModelDirectory(`${directory} has no readable ${file}: ${error.code ?? error.message}`);
      });
      return [file, body] as const;
    }),
  );
  const files = Object.fromEntries(entries) as Record<ArtifactFile, Buffer>;
  return {
    metadata: parse(metadataSchema, path.join(directory, 'metadata.json'), files['metadata.json']),
    report: parse(reportSchema, path.join(directory, 'report.json'), files['report.json']),
    files,
  };
}

/** The model's own backtest per interval, overall and per horizon: what ml_models.metrics keeps. */
export function modelMetrics(report: TrainingReport): ModelMetrics {
  const metrics: ModelMetrics = {};
  for (const [interval, methods] of Object.entries(report.headline)) {
    const overall = methods[MODEL_METHOD];
    if (overall) metrics[interval] = { overall, byHorizon: report.modelByHorizon[interval] ?? {} };
  }
  return metrics;
}
