import { Foundation1795561200000 } from './platform/database/migrations/1795561200000-Foundation';
import { usersEntities, usersMigrations } from './modules/users';

/** Every entity and migration of the app; migrations run in timestamp order. */
export const entities = [...usersEntities];
export const migrations = [Foundation1795561200000, ...usersMigrations];
