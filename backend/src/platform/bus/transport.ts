import type { ConsumerHost, EventConsumer, EventSink } from './consumers';
import type { Topic } from './envelope';

/** A row of the outbox on its way out. */
export interface OutgoingEvent {
  seq: string;
  eventId: string;
  topic: Topic;
  scopeKey: string;
  envelope: Uint8Array;
}

/**
 * Why a send failed. `rowSpecific`: this batch can never be published as it is (e.g. a message too
 * large), so the relay isolates the bad row; otherwise the transport itself is unavailable, and the
 * relay waits and tries again without blaming any row.
 */
export class SendFailed extends Error {
  constructor(
    message: string,
    readonly rowSpecific: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'SendFailed';
  }
}

/** Where the relay publishes to. `send` resolves once every event of the batch is durably handed over, in order. */
export interface Transport {
  readonly name: string;
  send(events: OutgoingEvent[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * The embedded default: no broker; the relay hands each batch to this process's consumers, each
 * consumer its events of the batch in order, on one queue that runs after the relay's transaction (PGlite has a single backend, so a consumer's
 * transaction could not start while the relay still held its own). An event is marked published
 * once queued: a crash in between loses only its in-process effects (a cache refresh, a push to an
 * open socket), which the next change redoes; with Kafka, delivery is at least once.
 */
export class InProcessBus implements Transport, ConsumerHost {
  readonly name = 'in-process';
  private consumers: EventConsumer[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly sink: EventSink) {}

  async start(consumers: EventConsumer[]): Promise<void> {
    this.consumers = consumers;
  }

  /** Lets queued events finish, then stops delivering. */
  async stop(): Promise<void> {
    await this.queue;
    this.consumers = [];
  }

  async send(events: OutgoingEvent[]): Promise<void> {
    const consumers = this.consumers;
    this.queue = this.queue.then(async () => {
      for (const consumer of consumers) {
        const batch = events.filter((event) => consumer.topics.includes(event.topic)).map((event) => event.envelope);
        if (batch.length > 0) await this.sink.deliver(consumer, batch);
      }
    });
  }

  async close(): Promise<void> {
    await this.queue;
  }
}
