/** Who a transaction acts for. `userId` null means no user: RLS then shows no tenant rows at all. */
export interface TransactionContext {
  userId: string | null;
  requestId?: string;
}

/** The port services use to make a use case atomic; implemented by UnitOfWork. */
export interface Transactions {
  run<T>(context: TransactionContext, work: () => Promise<T>): Promise<T>;
}
