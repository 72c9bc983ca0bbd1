import type { Pool, PoolClient } from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../logging';
import type { Topic } from './envelope';
import { SendFailed, type OutgoingEvent, type Transport } from './transport';

export interface RelayOptions {
  batchSize: number;
  /** Failed attempts after which a row the transport rejects is parked. */
  maxAttempts: number;
  /** The fallback poll, for a missed notification; new rows normally wake the relay at once. */
  pollIntervalMs: number;
  /** Published rows are deleted after this long. */
  retentionMs: number;
}

interface PendingRow {
  seq: string;
  event_id: string;
  topic: Topic;
  scope_key: string;
  envelope: Buffer;
}

const MAX_BACKOFF_MS = 30_000;

/**
 * Publishes the outbox. Any number of replicas may run a relay: each claims a batch with
 * `FOR UPDATE SKIP LOCKED`, so no row goes out twice from concurrent relays, and publishes a scope's
 * rows only when no earlier row of that scope is still pending, so each scope stays in order even
 * when two relays hold parts of it. A row is marked published in the transaction that claimed it;
 * a relay that dies mid-batch leaves its rows pending, and they go out again (consumers drop repeats).
 *
 * It runs when woken (after a local commit, on PostgreSQL's NOTIFY, or by the fallback poll), drains
 * everything pending, and backs off exponentially while the transport is down.
 */
export class OutboxRelay {
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private stopped = true;
  private loop: Promise<void> | undefined;
  private failures = 0;
  private lastPrune = 0;
  private lastStats: { at: number; value: ReturnType<OutboxRelay['stats']> } | undefined;
  private readonly published: Counter<'topic'>;
  private readonly sendFailures: Counter<'kind'>;

  constructor(
    private readonly pool: Pool,
    private readonly transport: Transport,
    private readonly logger: Logger,
    registry: Registry,
    private readonly options: RelayOptions,
  ) {
    this.published = new Counter({ name: 'outbox_published_total', help: 'Events the relay published, by topic.', labelNames: ['topic'] as const, registers: [registry] });
    this.sendFailures = new Counter({ name: 'outbox_send_failures_total', help: 'Failed publishing attempts: transport unavailable, or a row rejected.', labelNames: ['kind'] as const, registers: [registry] });
    const stats = () => this.recentStats();
    new Gauge({ name: 'outbox_pending_rows', help: 'Rows waiting to be published.', registers: [registry], async collect() { this.set((await stats()).pending); } });
    new Gauge({ name: 'outbox_oldest_pending_age_seconds', help: 'Age of the oldest row waiting to be published.', registers: [registry], async collect() { this.set((await stats()).oldestAgeSeconds); } });
    new Gauge({ name: 'outbox_parked_rows', help: 'Rows parked after failing to publish; they need attention.', registers: [registry], async collect() { this.set((await stats()).parked); } });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.loop = this.run();
  }

  /** Finishes the batch in hand, then stops. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }

  /** Something was committed to the outbox: publish it now. Cheap to call often. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Publishes until nothing is pending (or the transport fails); returns how many rows went out. */
  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const { claimed, published } = await this.relayBatch();
      total += published;
      if (claimed < this.options.batchSize || published === 0) return total;
    }
  }

  async stats(): Promise<{ pending: number; oldestAgeSeconds: number; parked: number }> {
    const { rows } = await this.pool.query<{ pending: number; oldest: number | null; parked: number }>(
      `SELECT count(*) FILTER (WHERE parked_at IS NULL)::int AS pending,
              extract(epoch FROM now() - min(occurred_at) FILTER (WHERE parked_at IS NULL))::float8 AS oldest,
              count(*) FILTER (WHERE parked_at IS NOT NULL)::int AS parked
         FROM outbox WHERE published_at IS NULL`,
    );
    const row = rows[0]!;
    return { pending: row.pending, oldestAgeSeconds: row.oldest ?? 0, parked: row.parked };
  }

  /** What the gauges read: one query per scrape feeds all three, not one each. */
  private recentStats(): ReturnType<OutboxRelay['stats']> {
    if (!this.lastStats || Date.now() - this.lastStats.at > 1_000) this.lastStats = { at: Date.now(), value: this.stats() };
    return this.lastStats.value;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      this.woken = false;
      try {
        await this.drain();
        this.failures = 0;
        await this.pruneNowAndThen();
      } catch (error) {
        this.failures++;
        this.logger.warn({ err: error, failures: this.failures }, 'outbox relay: the transport is unavailable; backing off');
      }
      if (this.stopped) return;
      // During a backoff a wake-up changes nothing (the transport is still believed down); otherwise
      // the poll is only the fallback for a missed wake-up.
      if (this.failures > 0) await this.pause(Math.min(MAX_BACKOFF_MS, 100 * 2 ** this.failures), false);
      else if (!this.woken) await this.pause(this.options.pollIntervalMs, true);
    }
  }

  private pause(ms: number, wakeable: boolean): Promise<void> {
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wakeUp = () => {
        if (wakeable || this.stopped) finish();
      };
    });
  }

  /** One claimed batch, in one transaction: claim, publish what may go, mark, commit. */
  private async relayBatch(): Promise<{ claimed: number; published: number }> {
    const client = await this.pool.connect();
    let outcome: { claimed: number; published: PendingRow[]; transportDown?: Error };
    try {
      await client.query('BEGIN');
      // `outbox.seq`, not `seq`: ORDER BY a bare name means the output column, here the text, and
      // "10" sorts before "9".
      const { rows } = await client.query<PendingRow>(
        `SELECT seq::text, event_id, topic, scope_key, envelope FROM outbox
          WHERE published_at IS NULL AND parked_at IS NULL
          ORDER BY outbox.seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.options.batchSize],
      );
      outcome = { claimed: rows.length, ...(await this.publish(client, await this.inScopeOrder(client, rows))) };
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    for (const row of outcome.published) this.published.inc({ topic: row.topic });
    if (outcome.transportDown) throw outcome.transportDown;
    return { claimed: outcome.claimed, published: outcome.published.length };
  }

  /** Drops the rows of scopes that have an earlier row still pending (held by another relay, or failed). */
  private async inScopeOrder(client: PoolClient, rows: PendingRow[]): Promise<PendingRow[]> {
    if (rows.length === 0) return rows;
    const firstSeq = new Map<string, string>();
    for (const row of rows) if (!firstSeq.has(row.scope_key)) firstSeq.set(row.scope_key, row.seq);
    const { rows: blocked } = await client.query<{ scope_key: string }>(
      `SELECT DISTINCT o.scope_key FROM outbox o
         JOIN unnest($1::text[], $2::bigint[]) AS f(scope_key, first_seq) ON f.scope_key = o.scope_key
        WHERE o.published_at IS NULL AND o.parked_at IS NULL AND o.seq < f.first_seq`,
      [[...firstSeq.keys()], [...firstSeq.values()]],
    );
    const held = new Set(blocked.map((row) => row.scope_key));
    return rows.filter((row) => !held.has(row.scope_key));
  }

  /**
   * Sends the rows and marks what went out. When the transport is down nothing is marked or counted
   * against the rows (an outage is not their fault); the error comes back for the loop to back off.
   */
  private async publish(client: PoolClient, rows: PendingRow[]): Promise<{ published: PendingRow[]; transportDown?: Error }> {
    if (rows.length === 0) return { published: [] };
    try {
      await this.transport.send(rows.map(outgoing));
      await this.markPublished(client, rows);
      return { published: rows };
    } catch (error) {
      if (error instanceof SendFailed && error.rowSpecific) return this.publishOneByOne(client, rows);
      this.sendFailures.inc({ kind: 'transport' });
      return { published: [], transportDown: error as Error };
    }
  }

  /** The batch holds a row the transport rejects: send row by row, park rows that keep being rejected. */
  private async publishOneByOne(client: PoolClient, rows: PendingRow[]): Promise<{ published: PendingRow[]; transportDown?: Error }> {
    const published: PendingRow[] = [];
    const stalled = new Set<string>();
    for (const row of rows) {
      if (stalled.has(row.scope_key)) continue;
      try {
        await this.transport.send([outgoing(row)]);
        await this.markPublished(client, [row]);
        published.push(row);
      } catch (error) {
        if (!(error instanceof SendFailed && error.rowSpecific)) {
          this.sendFailures.inc({ kind: 'transport' });
          return { published, transportDown: error as Error };
        }
        this.sendFailures.inc({ kind: 'rejected' });
        // A parked row no longer holds its scope back; a row that may still go does.
        if (!(await this.recordRejection(client, row, error))) stalled.add(row.scope_key);
      }
    }
    return { published };
  }

  private async markPublished(client: PoolClient, rows: PendingRow[]): Promise<void> {
    await client.query(`UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])`, [rows.map((row) => row.seq)]);
  }

  /** Counts a rejected attempt; parks the row once it used up its attempts. Returns whether it was parked. */
  private async recordRejection(client: PoolClient, row: PendingRow, error: SendFailed): Promise<boolean> {
    const { rows } = await client.query<{ parked: boolean }>(
      `UPDATE outbox SET attempts = attempts + 1, last_error = $2, parked_at = CASE WHEN attempts + 1 >= $3 THEN now() END
        WHERE seq = $1 RETURNING parked_at IS NOT NULL AS parked`,
      [row.seq, error.message.slice(0, 1000), this.options.maxAttempts],
    );
    const parked = rows[0]?.parked ?? false;
    if (parked) this.logger.error({ seq: row.seq, eventId: row.event_id, topic: row.topic, err: error }, 'outbox relay: parked an event that cannot be published');
    return parked;
  }

  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPrune < 60_000) return;
    this.lastPrune = Date.now();
    await this.pool.query(`DELETE FROM outbox WHERE published_at < now() - make_interval(secs => $1)`, [this.options.retentionMs / 1000]);
  }
}

function outgoing(row: PendingRow): OutgoingEvent {
  return { seq: row.seq, eventId: row.event_id, topic: row.topic, scopeKey: row.scope_key, envelope: row.envelope };
}
