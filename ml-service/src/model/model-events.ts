// Hears the backend register or promote a model (`model.registered` on Kafka) and has the holder check
// the registry at once, so a promotion serves within seconds instead of at the next poll; polling stays
// the fallback while Kafka is away. Every replica has its own consumer group: each must swap.
import { fromBinary } from '@bufbuild/protobuf';
import { EnvelopeSchema } from '@spendcast/proto';
import { Kafka, logLevel, type Consumer, type LogEntry } from 'kafkajs';
import type { EventsConfig } from '../platform/config';
import type { Logger } from '../platform/logger';

export const MODEL_REGISTERED_TOPIC = 'model.registered';

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = { [logLevel.ERROR]: 'error', [logLevel.WARN]: 'warn', [logLevel.INFO]: 'info', [logLevel.DEBUG]: 'debug' };

export class ModelEvents {
  private readonly kafka: Kafka;
  private readonly log: Logger;
  private consumer: Consumer | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly config: EventsConfig,
    /** Events about other models are not ours. */
    private readonly modelName: string,
    private readonly onRegistered: () => Promise<void>,
    logger: Logger,
    private readonly retryDelayMs = 2_000,
  ) {
    this.log = logger.child({ component: 'model-events' });
    this.kafka = new Kafka({
      clientId: config.clientId,
      brokers: config.brokers,
      connectionTimeout: 2_000,
      logLevel: logLevel.WARN,
      logCreator:
        () =>
        ({ level, log: { message, ...extra } }: LogEntry) =>
          this.log[LEVELS[level] ?? 'info'](extra, message),
    });
  }

  /** Joins the consumer group in the background, retrying while Kafka or the topic (the backend creates it) is missing. */
  start(): void {
    void this.join();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.consumer?.disconnect();
  }

  private async join(): Promise<void> {
    const topic = this.config.prefix + MODEL_REGISTERED_TOPIC;
    const consumer = this.kafka.consumer({ groupId: `${this.config.prefix}spendcast.ml-service.${this.config.replicaId}`, allowAutoTopicCreation: false });
    this.consumer = consumer;
    try {
      // A crash kafkajs does not restart from (e.g. no group coordinator yet on a freshly started
      // broker) means this consumer will never join: start again with a new one.
      const joined = new Promise<void>((resolve, reject) => {
        consumer.on(consumer.events.GROUP_JOIN, () => resolve());
        consumer.on(consumer.events.CRASH, ({ payload }) => {
          if (!payload.restart) reject(payload.error);
        });
      });
      // It may fail while connect or run is still awaited, before `await joined` below handles it:
      // mark it handled now so Node does not treat that as an unhandled rejection and exit.
      joined.catch(() => undefined);
      await consumer.connect();
      // From the beginning the first time this replica's group joins: an event published while the
      // replica was starting is then not missed, and the ones before it only cost a cheap registry check.
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ eachMessage: ({ message }) => this.handle(message.value) });
      await joined;
      this.log.info({ topic }, 'listening for model.registered');
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      if (this.stopped) return;
      this.log.warn({ err: error, topic }, `cannot consume ${topic} yet; polling the registry meanwhile and retrying`);
      this.retryTimer = setTimeout(() => void this.join(), this.retryDelayMs);
    }
  }

  private async handle(value: Buffer | null): Promise<void> {
    if (!value) return;
    let registered;
    try {
      const envelope = fromBinary(EnvelopeSchema, value);
      if (envelope.payload.case !== 'modelRegistered') return;
      registered = envelope.payload.value;
    } catch (error) {
      this.log.warn({ err: error }, 'skipping an unreadable event');
      return;
    }
    if (registered.name !== this.modelName) return;
    this.log.info({ version: registered.version, status: registered.status }, 'model registered; checking the registry');
    // The holder logs and counts a failed load itself, and polling retries it.
    await this.onRegistered();
  }
}
