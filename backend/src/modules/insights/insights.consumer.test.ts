import { open, seal } from '../../platform/bus';
import { MemoryCache, ScopedAnswers } from '../../platform/cache';
import { cachedAnswersConsumer } from './insights.consumer';

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
