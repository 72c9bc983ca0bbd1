import { createHash } from 'node:crypto';
import type { Pool } from 'pg';

/**
 * A lock every process on the database shares: a PostgreSQL session advisory lock, tried without
 * waiting, held on one connection for as long as the work runs. Should the connection drop, the server
 * releases the lock with it.
 */
export class AdvisoryLock {
  /** PGlite serves all connections from one session, where advisory locks are re-entrant: this keeps one run per process there. */
  private held = false;

  /** The lock's 64-bit key, from its name; written into the statements as a literal, since PGlite's socket server loses the unnamed prepared statements of a connection outside a transaction. */
  private readonly key: bigint;

  constructor(
    private readonly pool: Pool,
    name: string,
  ) {
    this.key = createHash('sha256').update(name).digest().readBigInt64BE();
  }

  async tryRun<T>(work: () => Promise<T>): Promise<{ acquired: true; value: T } | { acquired: false }> {
    if (this.held) return { acquired: false };
    this.held = true;
    try {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        const { rows } = await client.query<{ acquired: boolean }>(`SELECT pg_try_advisory_lock(${this.key}) AS acquired`);
        if (!rows[0]!.acquired) return { acquired: false };
        try {
          return { acquired: true, value: await work() };
        } finally {
          await client.query(`SELECT pg_advisory_unlock(${this.key})`).catch((error: Error) => (broken = error));
        }
      } finally {
        // A connection that could not unlock is closed, which unlocks.
        client.release(broken);
      }
    } finally {
      this.held = false;
    }
  }
}
