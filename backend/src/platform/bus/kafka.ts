import { Kafka, KafkaJSProtocolError, logLevel, type Consumer, type LogEntry, type Producer } from 'kafkajs';
import type { Logger } from '../logging';
import type { ConsumerHost, EventConsumer, EventSink } from './consumers';
import { ALL_TOPICS } from './envelope';
import { SendFailed, type OutgoingEvent, type Transport } from './transport';

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  /** Prepended to every topic and consumer group, so several deployments (or test runs) can share a cluster. */
  prefix: string;
  partitions: number;
  replicationFactor: number;
  /** This replica's name: per-replica consumer groups (realtime) are named after it. */
  replicaId: string;
}

const LEVELS: Record<number, 'error' | 'warn' | 'info' | 'debug'> = { [logLevel.ERROR]: 'error', [logLevel.WARN]: 'warn', [logLevel.INFO]: 'info', [logLevel.DEBUG]: 'debug' };

export function createKafka(options: KafkaOptions, logger: Logger): Kafka {
  const log = logger.child({ component: 'kafka' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    // Fail fast while the broker is away: the outbox keeps every event and the relay retries with backoff.
    connectionTimeout: 2_000,
    requestTimeout: 10_000,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: { message, ...extra } }: LogEntry) =>
        log[LEVELS[level] ?? 'info'](extra, message),
  });
}

/** Creates the topics that are missing, with the configured partitions and replication. */
export async function ensureTopics(kafka: Kafka, options: KafkaOptions): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = ALL_TOPICS.map((topic) => options.prefix + topic).filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions: options.partitions, replicationFactor: options.replicationFactor })) });
    }
  } finally {
    await admin.disconnect();
  }
}

const DISCONNECT_TIMEOUT_MS = 10_000;
export const JOIN_TIMEOUT_MS = 30_000;

/** Settles as `work` does, or as `onTimeout` says once `ms` have passed first. */
function bounded<T>(work: Promise<T>, ms: number, onTimeout: () => T | Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(onTimeout()), ms)));
  return Promise.race([work, timedOut]).finally(() => clearTimeout(timer));
}

/**
 * Settles once the consumer has joined its group. Fails after a crash kafkajs will not restart from
 * (e.g. "Failed to find group coordinator" from a freshly started broker: that consumer would never
 * join), or after JOIN_TIMEOUT_MS; a start that fails is retried with new consumers.
 */
export function joinedGroup(consumer: Consumer, groupId: string): Promise<void> {
  const joinedOrCrashed = new Promise<void>((resolve, reject) => {
    consumer.on(consumer.events.GROUP_JOIN, () => resolve());
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) reject(payload.error);
    });
  });
  const joined = bounded(joinedOrCrashed, JOIN_TIMEOUT_MS, () => Promise.reject(new Error(`Kafka consumer group ${groupId} was not joined within ${JOIN_TIMEOUT_MS / 1000} s`)));
  // Awaited only once the consumer runs; a failure before that is the caller's to report.
  joined.catch(() => undefined);
  return joined;
}

/** Errors that say this batch can never be accepted, whatever the broker's health. */
const REJECTED_RECORDS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD', 'CORRUPT_MESSAGE', 'INVALID_TOPIC_EXCEPTION']);

function rejectsRecords(error: unknown): boolean {
  if (error instanceof KafkaJSProtocolError && REJECTED_RECORDS.has(error.type)) return true;
  const { cause, errors } = (error ?? {}) as { cause?: unknown; errors?: unknown[] };
  return (cause !== undefined && rejectsRecords(cause)) || (Array.isArray(errors) && errors.some(rejectsRecords));
}

/**
 * Publishes with an idempotent producer (no duplicates from its own retries, one request in flight so
 * order holds), keyed by scope so each group's or user's events share a partition and stay ordered.
 */
export class KafkaTransport implements Transport {
  readonly name = 'kafka';
  private producer: Producer | undefined;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaOptions,
  ) {}

  async send(events: OutgoingEvent[]): Promise<void> {
    try {
      const producer = await this.connected();
      await producer.sendBatch({
        acks: -1,
        topicMessages: events.map((event) => ({
          topic: this.options.prefix + event.topic,
          messages: [{ key: event.scopeKey, value: Buffer.from(event.envelope), headers: { 'event-id': event.eventId, 'event-type': event.topic } }],
        })),
      });
    } catch (error) {
      // Start from a fresh connection next time: the broker may have restarted meanwhile.
      await this.disconnect();
      throw new SendFailed(`Kafka did not take the batch: ${(error as Error).message}`, rejectsRecords(error), { cause: error });
    }
  }

  close(): Promise<void> {
    return this.disconnect();
  }

  private async connected(): Promise<Producer> {
    if (this.producer) return this.producer;
    await ensureTopics(this.kafka, this.options);
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    this.producer = producer;
    return producer;
  }

  private async disconnect(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
  }
}

/**
 * Runs each consumer as a Kafka consumer group: a shared group per consumer (one replica handles each
 * event), or one group per replica for consumers that every replica needs (`perReplica`). Keeps
 * trying in the background while the broker is away, so the product starts without it.
 */
export class KafkaConsumers implements ConsumerHost {
  private readonly running: Consumer[] = [];
  private stopped = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly options: KafkaOptions,
    private readonly sink: EventSink,
    private readonly logger: Logger,
    private readonly retryDelayMs = 2_000,
  ) {}

  /** Resolves once every consumer has joined its group, or after the first failed try (it keeps trying). */
  async start(consumers: EventConsumer[]): Promise<void> {
    try {
      await this.startAll(consumers);
    } catch (error) {
      this.logger.warn({ err: error }, 'Kafka consumers could not start; retrying in the background');
      void this.retry(consumers);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.running.splice(0).map((consumer) => this.disconnect(consumer)));
  }

  /**
   * kafkajs's disconnect of a consumer that is still retrying a connection or a join can take long
   * or not finish (kafkajs#1147, #1639). Shutdown and restarts do not wait past a bound: the group's
   * session timeout releases the member's partitions on the broker's side anyway.
   */
  private async disconnect(consumer: Consumer): Promise<void> {
    // Whether it succeeded matters not: only whether it finished in time.
    const finished = consumer.disconnect().then(() => true, () => true);
    if (!(await bounded(finished, DISCONNECT_TIMEOUT_MS, () => false))) this.logger.warn(`A Kafka consumer did not disconnect within ${DISCONNECT_TIMEOUT_MS / 1000} s; leaving it to the broker's session timeout`);
  }

  private async retry(consumers: EventConsumer[]): Promise<void> {
    while (!this.stopped) {
      await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs));
      if (this.stopped) return;
      try {
        await this.startAll(consumers);
        this.logger.info('Kafka consumers started');
        return;
      } catch (error) {
        this.logger.debug({ err: error }, 'Kafka consumers still cannot start');
      }
    }
  }

  private async startAll(consumers: EventConsumer[]): Promise<void> {
    await Promise.all(this.running.splice(0).map((consumer) => this.disconnect(consumer)));
    await ensureTopics(this.kafka, this.options);
    for (const definition of consumers) this.running.push(await this.startOne(definition));
  }

  private async startOne(definition: EventConsumer): Promise<Consumer> {
    const groupId = `${this.options.prefix}spendcast.${definition.name}${definition.perReplica ? `.${this.options.replicaId}` : ''}`;
    const consumer = this.kafka.consumer({ groupId, allowAutoTopicCreation: false, retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 5_000 } });
    const joined = joinedGroup(consumer, groupId);
    try {
      await consumer.connect();
      // A shared group starts from the oldest event the first time; a replica's own group only needs what comes next.
      await consumer.subscribe({ topics: definition.topics.map((topic) => this.options.prefix + topic), fromBeginning: !definition.perReplica });
      await consumer.run({
        // Partitions are independent (order is kept per scope, and a scope lives in one partition), so
        // they are handled side by side: the handlers mostly wait on the database.
        partitionsConsumedConcurrently: this.options.partitions,
        // A partition's fetched messages go to the consumer together (it may handle them in one
        // transaction); the batch's offsets are committed once it returns. kafkajs heartbeats only
        // between batches: a batch whose events are retried one by one heartbeats as each settles, or
        // it could outlast the session timeout and be fetched again by another member.
        eachBatch: async (fetched) => {
          const values = fetched.batch.messages.flatMap((message) => (message.value ? [message.value] : []));
          await this.sink.deliver(definition, values, () => fetched.heartbeat());
        },
      });
      await joined;
    } catch (error) {
      await this.disconnect(consumer);
      throw error;
    }
    return consumer;
  }
}
