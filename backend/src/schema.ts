import { auditEntities, auditMigrations } from './modules/audit';
import { authEntities, authMigrations } from './modules/auth';
import { billsEntities, billsMigrations } from './modules/bills';
import { groupsEntities, groupsMigrations } from './modules/groups';
import { usersEntities, usersMigrations } from './modules/users';
import { OutboxEntity } from './platform/bus';
import { platformMigrations } from './platform/database';
import { IdempotencyKeyEntity, idempotencyMigrations } from './platform/idempotency';

const timestamp = (migration: { name: string }) => Number(/\d{13}$/.exec(migration.name)?.[0]);

/** Every entity and migration of the app; migrations in the order they run (their timestamps). */
export const entities = [OutboxEntity, IdempotencyKeyEntity, ...usersEntities, ...authEntities, ...groupsEntities, ...billsEntities, ...auditEntities];
export const migrations = [...platformMigrations, ...idempotencyMigrations, ...usersMigrations, ...authMigrations, ...groupsMigrations, ...billsMigrations, ...auditMigrations].sort(
  (a, b) => timestamp(a) - timestamp(b),
);
