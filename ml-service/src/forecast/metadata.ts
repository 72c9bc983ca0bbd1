// The contract of a model directory's metadata.json, written by `ml-service/training`.
import { z } from 'zod';

const interval = z.enum(['month', 'week']);
const positiveInt = z.number().int().positive();

const methodMetrics = z.object({
  maseMean: z.number(),
  maseMedian: z.number(),
  wape: z.number(),
  coverage: z.number(),
  meanWidth: z.number(),
});

export const modelMetadataSchema = z.object({
  name: z.string().min(1),
  version: z.string().min(1),
  /** Which FEATURES.md revision built the input rows; serving refuses a model it cannot feed. */
  featureSpecVersion: positiveInt,
  featureNames: z.array(z.string().min(1)).min(1),
  input: z.object({ name: z.string().min(1), dtype: z.literal('float32') }),
  outputs: z.object({ p10: z.string().min(1), p50: z.string().min(1), p90: z.string().min(1) }),
  intervals: z.array(interval).min(1),
  /** Shorter histories get `fallbackForecast` instead of the model. */
  minHistory: z.partialRecord(interval, positiveInt),
  maxHorizon: positiveInt,
  trainingData: z.looseObject({
    sources: z.array(z.string()).min(1),
    from: z.string(),
    to: z.string(),
    series: z.number().int().nonnegative(),
  }),
  backtest: z.looseObject({
    methods: z.record(z.string(), methodMetrics),
  }),
});

export type ModelMetadata = z.infer<typeof modelMetadataSchema>;
