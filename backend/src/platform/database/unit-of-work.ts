import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';
import { currentRequestId } from '../logging';
import { APP_ROLE } from './roles';
import type { TransactionContext, Transactions } from './transactions';

/**
 * Runs a piece of work in one transaction as the app role with `app.user_id` set, so row-level
 * security applies to every statement. Repositories find the transaction through `manager()`;
 * services only see the `Transactions` port.
 *
 * Settings are transaction-local (`set_config(..., true)`): pooled connections, and PGlite's
 * single shared backend, never carry one request's identity into the next.
 */
export class UnitOfWork implements Transactions {
  private readonly current = new AsyncLocalStorage<{ manager: EntityManager; context: TransactionContext; committed: Array<() => void> }>();

  constructor(private readonly dataSource: DataSource) {}

  async run<T>(context: TransactionContext, work: () => Promise<T>): Promise<T> {
    const outer = this.current.getStore();
    if (outer) {
      if (outer.context.userId !== context.userId) throw new Error('A nested unit of work must keep the same user');
      return work();
    }
    const scoped = { ...context, requestId: context.requestId ?? currentRequestId() };
    const committed: Array<() => void> = [];
    const result = await this.dataSource.transaction(async (manager) => {
      // No JIT compilation: it decides by the planner's cost estimate, which row-level security and
      // the listing's forced index order inflate, and then compiles statements that run in 2 ms (a
      // first page at a million bills: 27.6 ms with it, 8.9 of them compiling; 1.6 ms without).
      await manager.query(
        `SELECT set_config('role', $1, true), set_config('app.user_id', $2, true), set_config('app.request_id', $3, true), set_config('jit', 'off', true)`,
        [APP_ROLE, scoped.userId ?? '', scoped.requestId ?? ''],
      );
      return this.current.run({ manager, context: scoped, committed }, work);
    });
    for (const callback of committed) callback();
    return result;
  }

  /** Calls `callback` once the current transaction has committed (once, however often it was asked); never when it rolls back. */
  afterCommit(callback: () => void): void {
    const { committed } = this.store();
    if (!committed.includes(callback)) committed.push(callback);
  }

  /** Who the current transaction acts for. */
  context(): TransactionContext {
    return this.store().context;
  }

  manager(): EntityManager {
    return this.store().manager;
  }

  private store() {
    const store = this.current.getStore();
    if (!store) throw new Error('Database access outside a unit of work: wrap the use case in transactions.run()');
    return store;
  }
}
