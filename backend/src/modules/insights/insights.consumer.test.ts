import { open, seal } from '../../platform/bus';
import { MemoryCache, ScopedAnswers } from '../../platform/cache';
import { cachedAnswersConsumer, servingModelConsumer } from './insights.consumer';
import { ServingModel } from './serving-model';

const bill = (groupId: string, userId: string) => ({ billId: 'b1', groupId, userId, createdBy: userId, version: 1, title: 'Bakery', amount: '3.20', currency: 'EUR', spentOn: '2026-11-25', categoryId: '' });
const created = (groupId: string, userId: string) =>
  open(seal({ scopeKey: groupId || userId, payload: { case: 'billCreated', value: { bill: bill(groupId, userId) } } }, { eventId: 'e1', occurredAt: new Date() }).bytes);

describe('cachedAnswersConsumer', () => {
  it('retires the cached answers of the changed bill’s scope on this replica, and no other scope’s', async () => {
    const answers = new ScopedAnswers(new MemoryCache(), 600);
    let computed = 0;
    const ask = (scope: { groupId: string | null; userId: string | null }) => answers.remember(scope, 'summary', async () => ++computed);
    const consumer = cachedAnswersConsumer(answers);
    await ask({ groupId: 'g1', userId: null });
    await ask({ groupId: null, userId: 'u1' });
    await ask({ groupId: 'g2', userId: null });

    await consumer.handle(created('g1', 'u9'), { query: async () => ({ rows: [] }) } as never);
    await consumer.handle(created('', 'u1'), { query: async () => ({ rows: [] }) } as never);

    expect(consumer.perReplica).toBe(true);
    expect([await ask({ groupId: 'g1', userId: null }), await ask({ groupId: null, userId: 'u1' }), await ask({ groupId: 'g2', userId: null })]).toEqual([4, 5, 3]);
  });
});

describe('servingModelConsumer', () => {
  const registered = (version: string, status: string) =>
    open(seal({ scopeKey: 'spendcast-forecast', payload: { case: 'modelRegistered', value: { name: 'spendcast-forecast', version, status, artifactKey: `models/spendcast-forecast/${version}/model.onnx` } } }, { eventId: `e-${version}`, occurredAt: new Date() }).bytes);

  it('records the model announced active, and ignores a candidate', async () => {
    const servingModel = new ServingModel(new MemoryCache());
    const consumer = servingModelConsumer(servingModel);

    await consumer.handle(registered('2026.12.01', 'active'), {} as never);
    await consumer.handle(registered('2026.12.02', 'candidate'), {} as never);

    expect(consumer.perReplica).toBe(true);
    expect(await servingModel.announced()).toBe('spendcast-forecast@2026.12.01');
  });
});
