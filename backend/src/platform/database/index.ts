export { AdvisoryLock } from './advisory-lock';
export { createDataSource, migrate } from './data-source';
export type { DataSourceOptions } from './data-source';
export { startEmbeddedDatabase } from './embedded';
export type { EmbeddedDatabase } from './embedded';
export { APP_ROLE } from './roles';
export type { TransactionContext, Transactions } from './transactions';
export { UnitOfWork } from './unit-of-work';
import { Foundation1795561200000 } from './migrations/1795561200000-Foundation';
import { CreateOutbox1795561500000 } from './migrations/1795561500000-CreateOutbox';
import { OutboxRelay1795561740000 } from './migrations/1795561740000-OutboxRelay';
import { PolicyUserOncePerQuery1795561800000 } from './migrations/1795561800000-PolicyUserOncePerQuery';
import { PolicyHelpersPlanOnce1795561860000 } from './migrations/1795561860000-PolicyHelpersPlanOnce';

/** The platform's own migrations (roles, helpers); modules add theirs after. */
export const platformMigrations = [Foundation1795561200000, CreateOutbox1795561500000, OutboxRelay1795561740000, PolicyUserOncePerQuery1795561800000, PolicyHelpersPlanOnce1795561860000];
export { violatesUnique } from './errors';
