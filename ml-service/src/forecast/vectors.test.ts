// The serving core against the numbers the Python training code wrote (ml-service/test-vectors, made by
// `python -m spendcast_forecast.vectors`): the same features, fallback, decoding and model outputs.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeForecast, fallbackForecast, FEATURE_NAMES, featureRows, modelMetadataSchema, type PeriodQuantiles, type SeriesInput } from './index';

const vectorsDir = path.resolve(__dirname, '../../test-vectors');
const modelsDir = path.resolve(__dirname, '../../models');
const read = <T>(name: string) => JSON.parse(readFileSync(path.join(vectorsDir, name), 'utf8')) as T;

type Row = Array<number | null>;
interface FeatureCase { series: SeriesInput; horizon: number; rows: Row[] }
interface FallbackCase { series: SeriesInput; horizon: number; method: string; periods: PeriodQuantiles[] }
interface DecodeCase { series: SeriesInput; horizon: number; offset: number; raw: Record<'p10' | 'p50' | 'p90', number[]>; periods: PeriodQuantiles[] }

const modelVectors = read<{ model: { name: string; version: string }; rows: Row[]; outputs: Record<'p10' | 'p50' | 'p90', number[]> }>('model-outputs.json');
const modelDir = path.join(modelsDir, modelVectors.model.name, modelVectors.model.version);
const metadata = modelMetadataSchema.parse(JSON.parse(readFileSync(path.join(modelDir, 'metadata.json'), 'utf8')));

/** Equal as float32 values: both missing, or within a few float32 ulps (float64 sums may differ in the last bit). */
function expectFloat32Close(actual: number, expected: number | null, where: string): void {
  if (expected === null) {
    expect({ where, actual }).toEqual({ where, actual: Number.NaN });
    return;
  }
  const tolerance = Math.max(Math.abs(expected), 1e-30) * 4 * 2 ** -23;
  if (!(Math.abs(actual - expected) <= tolerance)) throw new Error(`${where}: ${actual} is not ${expected}`);
}

function expectPeriodsClose(actual: PeriodQuantiles[], expected: PeriodQuantiles[]): void {
  expect(actual.map((p) => p.period)).toEqual(expected.map((p) => p.period));
  actual.forEach((period, i) => {
    for (const key of ['p10', 'p50', 'p90'] as const) expect(period[key]).toBeCloseTo(expected[i]![key], 6);
  });
}

describe('feature rows', () => {
  const vectors = read<{ featureSpecVersion: number; featureNames: string[]; cases: FeatureCase[] }>('features.json');

  it('use the feature names and spec version the vectors were written with', () => {
    expect(FEATURE_NAMES).toEqual(vectors.featureNames);
    expect(metadata.featureSpecVersion).toBe(vectors.featureSpecVersion);
  });

  it.each(vectors.cases)('equal the Python rows for $series.id', (vector) => {
    const rows = featureRows(vector.series, vector.horizon, metadata);
    expect(rows).toHaveLength(vector.rows.length * FEATURE_NAMES.length);
    vector.rows.forEach((row, r) =>
      row.forEach((expected, f) => expectFloat32Close(rows[r * FEATURE_NAMES.length + f]!, expected, `${vector.series.id} row ${r} ${FEATURE_NAMES[f]}`)),
    );
  });
});

describe('fallback', () => {
  it.each(read<{ cases: FallbackCase[] }>('fallback.json').cases)('matches the Python reference for $series.id', (vector) => {
    const { method, periods } = fallbackForecast(vector.series, vector.horizon);
    expect(method).toBe(vector.method);
    expectPeriodsClose(periods, vector.periods);
  });
});

describe('decoding model outputs', () => {
  it.each(read<{ cases: DecodeCase[] }>('decode.json').cases)('unscales, floors and sorts rows of a batch for $series.id', (vector) => {
    const raw = { p10: Float32Array.from(vector.raw.p10), p50: Float32Array.from(vector.raw.p50), p90: Float32Array.from(vector.raw.p90) };
    const periods = decodeForecast(vector.series, vector.horizon, raw, vector.offset);
    expectPeriodsClose(periods, vector.periods);
    for (const period of periods) expect(period.p10 <= period.p50 && period.p50 <= period.p90).toBe(true);
  });
});

/**
 * Runs the model in a plain Node process: onnxruntime-node's output tensors fail jest's sandboxed
 * `instanceof Float32Array` check, so they cannot be read inside a test.
 */
function runModelOutsideJest(modelPath: string, inputName: string, rows: Row[]): Record<string, number[]> {
  const script = `
    const { InferenceSession, Tensor } = require('onnxruntime-node');
    const { modelPath, inputName, rows } = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
    const data = Float32Array.from(rows.flat(), (value) => value ?? NaN);
    InferenceSession.create(modelPath).then(async (session) => {
      const results = await session.run({ [inputName]: new Tensor('float32', data, [rows.length, rows[0].length]) });
      process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(results).map(([name, tensor]) => [name, Array.from(tensor.data)]))));
    });`;
  const result = spawnSync(process.execPath, ['-e', script], { input: JSON.stringify({ modelPath, inputName, rows }), encoding: 'utf8', cwd: __dirname });
  if (result.status !== 0) throw new Error(`running the model failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, number[]>;
}

describe('the shipped model', () => {
  it('gives in onnxruntime-node what onnxruntime gave in Python for the vector rows', () => {
    const results = runModelOutsideJest(path.join(modelDir, 'model.onnx'), metadata.input.name, modelVectors.rows);
    for (const quantile of ['p10', 'p50', 'p90'] as const) {
      const actual = results[metadata.outputs[quantile]]!;
      expect(actual).toHaveLength(modelVectors.rows.length);
      modelVectors.outputs[quantile].forEach((expected, i) => expect(actual[i]).toBeCloseTo(expected, 5));
    }
  });
});
