import { MemoryCache, ScopedAnswers } from '../../platform/cache';
import type { Transactions } from '../../platform/database';
import { unconfiguredMlClient, type AnomalyCandidate, type MlClient, type SpendHistory } from '../../platform/ml';
import type { BillAmount, InsightsRepository, SpendRow, Viewer } from './insights.repository';
import { InsightsService } from './insights.service';
import { shiftPeriod, today } from './periods';
import { ServingModel } from './serving-model';

const transactions: Transactions = { run: (_context, work) => work() };
const viewer: Viewer = { timeZone: 'UTC', currency: 'EUR', groupId: null, seesAll: true };

function repository(rows: SpendRow[], bills: BillAmount[] = []) {
  const fake = {
    reads: 0,
    viewer: async () => viewer,
    rollup: async () => {
      fake.reads++;
      return rows;
    },
    newestBills: async () => bills,
  };
  return fake;
}

/** An ml-service that answers as told and remembers what it was asked. */
function mlClient(answers: Partial<MlClient>) {
  const asked: { forecasts: SpendHistory[]; anomalies: AnomalyCandidate[][] } = { forecasts: [], anomalies: [] };
  const client: MlClient = {
    ...unconfiguredMlClient,
    forecast: async (history, horizon) => {
      asked.forecasts.push(history);
      return (answers.forecast ?? unconfiguredMlClient.forecast)(history, horizon);
    },
    detectAnomalies: async (bills) => {
      asked.anomalies.push(bills);
      return (answers.detectAnomalies ?? unconfiguredMlClient.detectAnomalies)(bills);
    },
  };
  return { client, asked };
}

const service = (
  repo: ReturnType<typeof repository>,
  ml: MlClient = unconfiguredMlClient,
  answers = new ScopedAnswers(new MemoryCache(), 600),
  servingModel = new ServingModel(new MemoryCache()),
) => new InsightsService(transactions, repo as unknown as InsightsRepository, answers, ml, servingModel);

describe('InsightsService', () => {
  const query = { from: '2026-03-01', to: '2026-03-31' };

  it('answers again from the cache, and reads afresh once a bill of the scope changed', async () => {
    const rows: SpendRow[] = [{ period: null, categoryId: null, totalMinor: 1234n, count: 1 }];
    const repo = repository(rows);
    const answers = new ScopedAnswers(new MemoryCache(), 600);
    const insights = service(repo, unconfiguredMlClient, answers);

    const first = await insights.summary('u1', query);
    await insights.summary('u1', query);
    const readsBeforeChange = repo.reads;
    await answers.retire({ groupId: null, userId: 'u1' });
    await insights.summary('u1', query);

    expect(first.total).toBe('12.34');
    expect(readsBeforeChange).toBe(2); // this period and the one before
    expect(repo.reads).toBe(4);
  });
});

describe('InsightsService.forecast', () => {
  const month = (offset: number) => shiftPeriod(today('UTC'), 'month', offset).start;
  const spent = (offset: number, minor: bigint): SpendRow => ({ period: month(offset), categoryId: null, totalMinor: minor, count: 1 });
  const forecastQuery = { interval: 'month' as const, horizon: 2 };
  const forecast = {
    model: { name: 'spendcast-forecast', version: '1' },
    method: 'model' as const,
    fallback: null,
    periods: [
      { start: month(0), p10: 9.994, p50: 12.5, p90: 20 },
      { start: month(1), p10: 10, p50: 13, p90: 21.456 },
    ],
  };

  it('forecasts from the complete months since the first spending, in major units, and answers in money', async () => {
    const { client, asked } = mlClient({ forecast: async () => ({ available: true, value: forecast }) });
    const view = await service(repository([spent(-3, 1050n), spent(-1, 1200n), spent(0, 99_999n)]), client).forecast('u1', forecastQuery);

    expect(asked.forecasts).toEqual([{ interval: 'month', firstPeriod: month(-3), values: [10.5, 0, 12] }]);
    expect(view).toMatchObject({ available: true, method: 'model', model: forecast.model, interval: 'month', horizon: 2 });
    expect(view.history.map((point) => [point.start, point.amount])).toEqual([
      [month(-3), '10.50'],
      [month(-2), '0.00'],
      [month(-1), '12.00'],
    ]);
    expect(view.available && view.periods).toEqual([
      { start: month(0), p10: '9.99', p50: '12.50', p90: '20.00' },
      { start: month(1), p10: '10.00', p50: '13.00', p90: '21.46' },
    ]);
  });

  it('keeps a forecast, but asks ml-service again after an answer without one', async () => {
    let up = false;
    const { client, asked } = mlClient({
      forecast: async () => (up ? { available: true, value: forecast } : { available: false, reason: 'UNAVAILABLE', message: 'ml-service is unavailable.' }),
    });
    const insights = service(repository([spent(-1, 1000n)]), client);

    const down = await insights.forecast('u1', forecastQuery);
    up = true;
    const back = await insights.forecast('u1', forecastQuery);
    await insights.forecast('u1', forecastQuery);

    expect(down).toMatchObject({ available: false, reason: 'UNAVAILABLE', history: [{ start: month(-1), amount: '10.00', count: 1 }] });
    expect(back.available).toBe(true);
    expect(asked.forecasts).toHaveLength(2);
  });

  it('asks again once another model is announced, and keeps only forecasts by the announced one', async () => {
    let serving = forecast.model;
    const { client, asked } = mlClient({ forecast: async () => ({ available: true, value: { ...forecast, model: serving } }) });
    const servingModel = new ServingModel(new MemoryCache());
    const insights = service(repository([spent(-1, 1000n)]), client, undefined, servingModel);

    await insights.forecast('u1', forecastQuery);
    await insights.forecast('u1', forecastQuery);
    await servingModel.announce({ name: 'spendcast-forecast', version: '2' });
    const stillOld = await insights.forecast('u1', forecastQuery); // ml-service has not swapped yet
    serving = { name: 'spendcast-forecast', version: '2' };
    const swapped = await insights.forecast('u1', forecastQuery);
    await insights.forecast('u1', forecastQuery);

    expect(stillOld).toMatchObject({ model: { version: '1' } });
    expect(swapped).toMatchObject({ model: { version: '2' } });
    expect(asked.forecasts).toHaveLength(3);
  });

  it('does not ask ml-service when nothing was spent before the current month', async () => {
    const { client, asked } = mlClient({});
    const view = await service(repository([spent(0, 500n)]), client).forecast('u1', forecastQuery);

    expect(view).toMatchObject({ available: false, reason: 'NO_HISTORY', history: [] });
    expect(asked.forecasts).toHaveLength(0);
  });
});

describe('InsightsService.anomalies', () => {
  const bill = (id: string, minor: bigint, fields: Partial<BillAmount> = {}): BillAmount => ({
    id,
    title: `Bill ${id}`,
    spentOn: '2026-03-10',
    baseMinor: minor,
    categoryId: 'c1',
    categoryName: 'Groceries',
    payee: null,
    ...fields,
  });
  const anomaliesQuery = { from: '2026-03-01', to: '2026-03-31', limit: 2 };

  it('lists the unusual bills most unusual first, up to the limit, judging uncategorised bills as a category of their own', async () => {
    const bills = [bill('a', 1000n), bill('b', 90_000n, { payee: 'Tesco' }), bill('c', 50_000n, { categoryId: null, categoryName: null }), bill('d', 70_000n)];
    const { client, asked } = mlClient({
      detectAnomalies: async (items) => ({
        available: true,
        value: items.map((item) => ({ id: item.id, score: item.amount / 10, anomalous: item.amount > 100, reason: `${item.amount} is a lot` })),
      }),
    });

    const view = await service(repository([], bills), client).anomalies('u1', anomaliesQuery);

    expect(asked.anomalies[0]).toContainEqual({ id: 'c', amount: 500, categoryId: 'uncategorised', categoryName: 'Uncategorised', payee: '' });
    expect(asked.anomalies[0]).toContainEqual({ id: 'b', amount: 900, categoryId: 'c1', categoryName: 'Groceries', payee: 'Tesco' });
    expect(view).toMatchObject({ available: true, judged: 4, from: '2026-03-01', to: '2026-03-31' });
    expect(view.available && view.items).toEqual([
      { billId: 'b', title: 'Bill b', spentOn: '2026-03-10', amount: '900.00', categoryId: 'c1', payee: 'Tesco', score: 90, reason: '900 is a lot' },
      { billId: 'd', title: 'Bill d', spentOn: '2026-03-10', amount: '700.00', categoryId: 'c1', payee: null, score: 70, reason: '700 is a lot' },
    ]);
  });

  it('says why there is no answer when ml-service is not configured', async () => {
    const view = await service(repository([], [bill('a', 1000n)])).anomalies('u1', anomaliesQuery);

    expect(view).toMatchObject({ available: false, reason: 'NOT_CONFIGURED' });
  });
});
