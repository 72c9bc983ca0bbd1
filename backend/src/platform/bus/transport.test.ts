import type { EventConsumer, EventSink } from './consumers';
import type { Topic } from './envelope';
import { InProcessBus, type OutgoingEvent } from './transport';

const consumer = (name: string, topics: Topic[]): EventConsumer => ({ name, topics, handle: async () => undefined });
const event = (topic: Topic, text: string): OutgoingEvent => ({ seq: '1', eventId: text, topic, scopeKey: 'scope', envelope: Buffer.from(text) });

describe('InProcessBus', () => {
  it('hands each consumer its events of a batch together and in order, after the batches sent before', async () => {
    const deliveries: Array<[string, string[]]> = [];
    const sink: EventSink = { deliver: async ({ name }, batch) => void deliveries.push([name, batch.map((bytes) => Buffer.from(bytes).toString())]) };
    const bus = new InProcessBus(sink);
    await bus.start([consumer('bills', ['bill.created', 'bill.deleted']), consumer('models', ['model.registered']), consumer('members', ['user.joined'])]);

    await bus.send([event('bill.created', 'b1'), event('model.registered', 'm1'), event('bill.deleted', 'b2')]);
    await bus.send([event('bill.created', 'b3')]);
    await bus.close();

    expect(deliveries).toEqual([
      ['bills', ['b1', 'b2']],
      ['models', ['m1']],
      ['bills', ['b3']],
    ]);
  });
});
