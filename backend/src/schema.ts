import { auditEntities, auditMigrations } from './modules/audit';
import { authEntities, authMigrations } from './modules/auth';
import { billsEntities, billsMigrations } from './modules/bills';
import { budgetsEntities, budgetsMigrations } from './modules/budgets';
import { groupsEntities, groupsMigrations } from './modules/groups';
import { modelsEntities, modelsMigrations } from './modules/models';
import { insightsEntities, insightsMigrations } from './modules/insights';
import { usersEntities, usersMigrations } from './modules/users';
import { OutboxEntity, ProcessedEventEntity } from './platform/bus';
import { platformMigrations } from './platform/database';
import { IdempotencyKeyEntity, idempotencyMigrations } from './platform/idempotency';

const timestamp = (migration: { name: string }) => Number(/\d{13}$/.exec(migration.name)?.[0]);

/** Every entity and migration of the app; migrations in the order they run (their timestamps). */
export const entities = [OutboxEntity, ProcessedEventEntity, IdempotencyKeyEntity, ...usersEntities, ...authEntities, ...groupsEntities, ...billsEntities, ...auditEntities, ...insightsEntities, ...budgetsEntities, ...modelsEntities];
export const migrations = [...platformMigrations, ...idempotencyMigrations, ...usersMigrations, ...authMigrations, ...groupsMigrations, ...billsMigrations, ...auditMigrations, ...insightsMigrations, ...budgetsMigrations, ...modelsMigrations].sort(
  (a, b) => timestamp(a) - timestamp(b),
);
