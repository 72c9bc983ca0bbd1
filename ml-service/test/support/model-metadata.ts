import { FEATURE_NAMES, FEATURE_SPEC_VERSION, modelMetadataSchema, type ModelMetadata } from '../../src/forecast';

/** The metadata of a monthly model as training writes it, for unit tests; `minHistory` differs per test. */
export function testModelMetadata(minHistoryMonths: number): ModelMetadata {
  return modelMetadataSchema.parse({
    name: 'test-model',
    version: '1',
    featureSpecVersion: FEATURE_SPEC_VERSION,
    featureNames: [...FEATURE_NAMES],
    input: { name: 'features', dtype: 'float32' },
    outputs: { p10: 'p10', p50: 'p50', p90: 'p90' },
    intervals: ['month'],
    minHistory: { month: minHistoryMonths },
    maxHorizon: 6,
    trainingData: { sources: ['unit test'], from: '2020-01-01', to: '2024-12-01', series: 1 },
    backtest: { methods: {} },
  });
}
