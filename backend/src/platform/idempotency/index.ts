import { CreateIdempotencyKeys1795561590000 } from './migrations/1795561590000-CreateIdempotencyKeys';

export { fingerprint, IdempotencyKeyReused, PostgresIdempotency, type Idempotency } from './idempotency';
export { IdempotencyKeyEntity } from './idempotency.entity';
export const idempotencyMigrations = [CreateIdempotencyKeys1795561590000];
