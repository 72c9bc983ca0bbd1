import { platformMigrations } from './platform/database';
import { usersEntities, usersMigrations } from './modules/users';

/** Every entity and migration of the app; migrations run in timestamp order. */
export const entities = [...usersEntities];
export const migrations = [...platformMigrations, ...usersMigrations];
