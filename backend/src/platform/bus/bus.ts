import { Pool } from 'pg';
import type { Registry } from 'prom-client';
import type { Logger } from '../logging';
import { EventProcessor, type ConsumerHost, type EventConsumer } from './consumers';
import { createKafka, KafkaConsumers, KafkaTransport, type KafkaOptions } from './kafka';
import { OutboxRelay, type RelayOptions } from './relay';
import { InProcessBus, type Transport } from './transport';
import { OutboxNotifications } from './wake-ups';

export interface EventBusOptions {
  /** The schema owner's connection: the relay reads and marks the outbox, consumers record what they processed. */
  ownerUrl: string;
  /** Kafka when configured; otherwise events go to this process's consumers. */
  kafka?: KafkaOptions;
  relay: RelayOptions & { enabled: boolean };
  /** PGlite's shared backend has no cross-connection NOTIFY worth listening to; its only writer is this process. */
  listenForNotifications: boolean;
}

/** The outbox relay, the transport and the consumers, started and stopped together. */
export class EventBus {
  private constructor(
    private readonly pool: Pool,
    readonly transport: Transport,
    private readonly consumers: ConsumerHost,
    readonly relay: OutboxRelay | undefined,
    private readonly notifications: OutboxNotifications | undefined,
  ) {}

  static open(options: EventBusOptions, logger: Logger, registry: Registry): EventBus {
    const log = logger.child({ component: 'events' });
    const pool = new Pool({ connectionString: options.ownerUrl, max: 4 });
    pool.on('error', (error) => log.warn({ err: error }, 'event bus connection error'));
    // A consumer that wrote events (in the transaction that recorded its work) wakes the relay for them.
    const processor = new EventProcessor(pool, log, registry, () => relay?.wake());
    let transport: Transport;
    let consumers: ConsumerHost;
    if (options.kafka) {
      const kafka = createKafka(options.kafka, log);
      transport = new KafkaTransport(kafka, options.kafka);
      consumers = new KafkaConsumers(kafka, options.kafka, processor, log);
    } else {
      const local = new InProcessBus(processor);
      transport = local;
      consumers = local;
    }
    const relay = options.relay.enabled ? new OutboxRelay(pool, transport, log, registry, options.relay) : undefined;
    const wake = relay ? relay.wake.bind(relay) : undefined;
    const notifications = wake && options.listenForNotifications ? new OutboxNotifications(options.ownerUrl, wake, log) : undefined;
    return new EventBus(pool, transport, consumers, relay, notifications);
  }

  /** Wakes this replica's relay; the outbox calls it after a transaction with events commits. */
  readonly committed = (): void => this.relay?.wake();

  async start(consumers: EventConsumer[]): Promise<void> {
    await this.consumers.start(consumers);
    this.relay?.start();
    await this.notifications?.start();
  }

  async stop(): Promise<void> {
    await this.notifications?.stop();
    await this.relay?.stop();
    await this.consumers.stop();
    await this.transport.close();
    await this.pool.end();
  }
}
