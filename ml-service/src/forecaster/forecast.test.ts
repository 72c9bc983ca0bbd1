import { testModelMetadata } from '../../test/support/model-metadata';
import { FEATURE_NAMES, type SeriesInput } from '../forecast';
import type { QuantileColumns } from '../model/onnx-model';
import { forecast } from './forecast';
import type { ForecastQuery } from './requests';

const metadata = testModelMetadata(3);

function monthly(id: string, values: number[]): SeriesInput {
  return { id, interval: 'month', firstPeriod: '2024-01-01', values };
}

/** A model whose quantiles for row r are r, r + 0.5 and r + 1, so each series' rows can be told apart. */
function fakeModel() {
  const predict = jest.fn(async (rows: Float32Array): Promise<QuantileColumns> => {
    const count = rows.length / FEATURE_NAMES.length;
    const column = (shift: number) => Float32Array.from({ length: count }, (_, row) => row + shift);
    return { p10: column(0), p50: column(0.5), p90: column(1) };
  });
  return { metadata, predict };
}

const open = { throwIfExpired: () => undefined };

describe('forecast', () => {
  it('runs the model once for every long series and decodes each from its own rows, in request order', async () => {
    const model = fakeModel();
    // A scale of 1 (the mean of |values|) keeps the model's outputs readable in money.
    const query: ForecastQuery = { series: [monthly('a', [1, 1, 1]), monthly('short', [5]), monthly('b', [1, 1, 1, 1])], horizon: 2, quantiles: ['p50'] };

    const result = await forecast(query, model, open);

    expect(model.predict).toHaveBeenCalledTimes(1);
    expect(model.predict.mock.calls[0]![0]).toHaveLength(2 * 2 * FEATURE_NAMES.length);
    expect(result.map((item) => [item.id, item.method])).toEqual([['a', 'model'], ['short', 'fallback'], ['b', 'model']]);
    expect(result[0]!.periods.map((period) => period.p50)).toEqual([0.5, 1.5]);
    expect(result[2]!.periods.map((period) => period.p50)).toEqual([2.5, 3.5]);
    expect(result[1]).toMatchObject({ fallback: 'recent-mean' });
  });

  it('does not run the model when every series is too short for it', async () => {
    const model = fakeModel();
    const result = await forecast({ series: [monthly('new', [3, 4])], horizon: 3, quantiles: ['p50'] }, model, open);

    expect(model.predict).not.toHaveBeenCalled();
    expect(result[0]).toMatchObject({ method: 'fallback', fallback: 'recent-mean' });
  });

  it('does not start the model run once the deadline has passed', async () => {
    const model = fakeModel();
    const expired = {
      throwIfExpired: () => {
        throw new Error('deadline passed');
      },
    };
    await expect(forecast({ series: [monthly('a', [1, 2, 3])], horizon: 1, quantiles: ['p50'] }, model, expired)).rejects.toThrow('deadline passed');
    expect(model.predict).not.toHaveBeenCalled();
  });
});
