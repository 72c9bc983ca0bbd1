import { createHash } from 'node:crypto';
import { AppError } from '../http';
import type { UnitOfWork } from '../database';

const KEPT_HOURS = 24;

export class IdempotencyKeyReused extends AppError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  readonly status = 422;
  constructor() {
    super('This Idempotency-Key was used with a different request in the last 24 hours.');
  }
}

/** A hash of the request that a key is bound to. */
export function fingerprint(request: unknown): string {
  return createHash('sha256').update(JSON.stringify(request)).digest('hex');
}

/** What an idempotent use case asks of the store; implemented over PostgreSQL. */
export interface Idempotency {
  /** Within the caller's unit of work: the stored result for the key, or the result of `work`, stored. */
  once<T>(userId: string, key: string, requestHash: string, work: () => Promise<T>): Promise<{ result: T; replayed: boolean }>;
}

/**
 * The key is claimed with an INSERT in the same transaction as the work. A concurrent retry's
 * INSERT waits on the unique key until the first transaction ends, then finds the stored result:
 * one key, one effect, however many retries arrive at once.
 */
export class PostgresIdempotency implements Idempotency {
  constructor(private readonly transactions: UnitOfWork) {}

  async once<T>(userId: string, key: string, requestHash: string, work: () => Promise<T>): Promise<{ result: T; replayed: boolean }> {
    const manager = this.transactions.manager();
    await manager.query(`DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND created_at < now() - make_interval(hours => $3)`, [userId, key, KEPT_HOURS]);
    const claimed = await manager.query<unknown[]>(
      `INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING 1`,
      [userId, key, requestHash],
    );
    if (claimed.length === 0) {
      const [stored] = await manager.query<Array<{ request_hash: string; response: T }>>(
        `SELECT request_hash, response FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
        [userId, key],
      );
      if (!stored || stored.request_hash !== requestHash) throw new IdempotencyKeyReused();
      return { result: stored.response, replayed: true };
    }
    const result = await work();
    await manager.query(`UPDATE idempotency_keys SET response = $3 WHERE user_id = $1 AND key = $2`, [userId, key, JSON.stringify(result)]);
    return { result, replayed: false };
  }
}
