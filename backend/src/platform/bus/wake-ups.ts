import { Client } from 'pg';
import type { Logger } from '../logging';

export const OUTBOX_CHANNEL = 'spendcast_outbox';

/**
 * Listens for the outbox trigger's NOTIFY so a relay hears of rows other replicas committed, and
 * reconnects when the connection drops (the relay's poll covers the gap).
 */
export class OutboxNotifications {
  private client: Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly url: string,
    private readonly onNotify: () => void,
    private readonly logger: Logger,
    private readonly reconnectDelayMs = 2_000,
  ) {}

  async start(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    client.on('notification', () => this.onNotify());
    client.on('error', (error) => {
      this.logger.warn({ err: error }, 'outbox notifications: connection lost; reconnecting');
      this.reconnect(client);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.client = client;
      // Rows may have landed while nobody listened.
      this.onNotify();
    } catch (error) {
      this.logger.warn({ err: error }, 'outbox notifications: cannot listen; retrying');
      this.reconnect(client);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }

  private reconnect(broken: Client): void {
    void broken.end().catch(() => undefined);
    if (this.client === broken) this.client = undefined;
    if (this.stopped) return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.start(), this.reconnectDelayMs);
  }
}
