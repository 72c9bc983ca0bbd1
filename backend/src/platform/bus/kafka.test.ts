import { EventEmitter } from 'node:events';
import type { Consumer } from 'kafkajs';
import { JOIN_TIMEOUT_MS, joinedGroup } from './kafka';

/** Just what joinedGroup listens to of a kafkajs consumer: its instrumentation events. */
function fakeConsumer() {
  const emitter = new EventEmitter();
  const events = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash' };
  const consumer = { events, on: (event: string, listener: (event: unknown) => void) => emitter.on(event, listener) } as unknown as Consumer;
  return {
    consumer,
    join: () => emitter.emit(events.GROUP_JOIN, { payload: {} }),
    crash: (error: Error, restart: boolean) => emitter.emit(events.CRASH, { payload: { error, groupId: 'g', restart } }),
  };
}

describe('joinedGroup', () => {
  afterEach(() => jest.useRealTimers());

  it('settles once the consumer joins, through crashes kafkajs restarts from', async () => {
    const fake = fakeConsumer();
    const joined = joinedGroup(fake.consumer, 'g');

    fake.crash(new Error('The coordinator is loading'), true);
    fake.join();

    await expect(joined).resolves.toBeUndefined();
  });

  it('fails with the crash kafkajs will not restart from, which would otherwise leave the start waiting for good', async () => {
    const fake = fakeConsumer();
    const joined = joinedGroup(fake.consumer, 'g');

    fake.crash(new Error('Failed to find group coordinator'), false);

    await expect(joined).rejects.toThrow('Failed to find group coordinator');
  });

  it('fails when no join comes within the bound', async () => {
    jest.useFakeTimers();
    const joined = joinedGroup(fakeConsumer().consumer, 'spendcast.insights');

    jest.advanceTimersByTime(JOIN_TIMEOUT_MS);

    await expect(joined).rejects.toThrow(`Kafka consumer group spendcast.insights was not joined within ${JOIN_TIMEOUT_MS / 1000} s`);
  });
});
