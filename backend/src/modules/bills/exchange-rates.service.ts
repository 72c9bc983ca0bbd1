import type { Transactions } from '../../platform/database';
import { GroupNotFound } from '../groups';
import { RatesChangeNotAllowed } from './bills.errors';
import type { ExchangeRatesRepository, Rate, RateInput } from './exchange-rates.repository';

/** Rates a scope converts foreign-currency bills with: personal rates by the user, group rates by its admins. */
export class ExchangeRatesService {
  constructor(
    private readonly transactions: Transactions,
    private readonly rates: ExchangeRatesRepository,
  ) {}

  upload(userId: string, groupId: string | undefined, rates: RateInput[]): Promise<Rate[]> {
    return this.transactions.run({ userId }, async () => {
      const scope = await this.rates.scopeOf(userId, groupId);
      if (!scope) throw new GroupNotFound();
      if (!scope.isAdmin) throw new RatesChangeNotAllowed();
      const owner = { userId: groupId ? null : userId, groupId: groupId ?? null };
      await this.rates.upsert(owner, scope.baseCurrency, rates.filter((rate) => rate.currency !== scope.baseCurrency));
      return this.rates.list(owner);
    });
  }

  list(userId: string, groupId: string | undefined): Promise<Rate[]> {
    return this.transactions.run({ userId }, async () => {
      if (!(await this.rates.scopeOf(userId, groupId))) throw new GroupNotFound();
      return this.rates.list({ userId: groupId ? null : userId, groupId: groupId ?? null });
    });
  }
}
