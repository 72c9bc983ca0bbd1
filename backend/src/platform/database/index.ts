export { createDataSource, migrate } from './data-source';
export type { DataSourceOptions } from './data-source';
export { startEmbeddedDatabase } from './embedded';
export type { EmbeddedDatabase } from './embedded';
export { APP_ROLE } from './roles';
export type { TransactionContext, Transactions } from './transactions';
export { UnitOfWork } from './unit-of-work';
