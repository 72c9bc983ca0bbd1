import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { startStoppableKafka, type StoppableKafka } from '../../support/kafka-server';

/** Reads the topic from its start in a new consumer group until `count` messages arrived. */
async function readTopic(kafka: Kafka, topic: string, count: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: `reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const values: string[] = [];
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        eachMessage: async ({ message }) => {
          values.push(message.value!.toString());
          if (values.length === count) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return values;
}

describe('a stoppable Kafka broker for fault tests', () => {
  let broker: StoppableKafka;
  let kafka: Kafka;
  let producer: Producer;

  /** The broker does not create topics on first use (auto.create.topics.enable=false). */
  async function createTopic(): Promise<string> {
    const topic = `bill-events-${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic }], waitForLeaders: true });
    await admin.disconnect();
    return topic;
  }

  beforeAll(async () => {
    broker = await startStoppableKafka();
    // Few, quick retries so a send during the outage fails in seconds; its connection errors are expected noise.
    kafka = new Kafka({ clientId: 'kafka-server-test', brokers: [broker.brokers], logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 100 } });
    producer = kafka.producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await broker.remove();
  });

  it('delivers a produced message to a consumer', async () => {
    const topic = await createTopic();

    await producer.send({ topic, messages: [{ value: 'before the outage' }] });

    expect(await readTopic(kafka, topic, 1)).toEqual(['before the outage']);
  });

  it('fails producing while stopped, and after a restart on the same port keeps the earlier messages and takes new ones', async () => {
    const topic = await createTopic();
    await producer.send({ topic, messages: [{ value: 'before the outage' }] });

    await broker.stop();

    await expect(producer.send({ topic, messages: [{ value: 'during the outage' }] })).rejects.toThrow();

    await broker.start();
    await producer.send({ topic, messages: [{ value: 'after the outage' }] });
    expect(await readTopic(kafka, topic, 2)).toEqual(['before the outage', 'after the outage']);
  });
});
