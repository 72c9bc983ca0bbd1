import type { UnitOfWork } from '../../platform/database';

export interface RateInput {
  currency: string;
  validOn: string;
  rate: string;
}

export interface Rate extends RateInput {
  baseCurrency: string;
}

export class ExchangeRatesRepository {
  constructor(private readonly transactions: UnitOfWork) {}

  private get manager() {
    return this.transactions.manager();
  }

  async scopeOf(userId: string, groupId: string | undefined): Promise<{ baseCurrency: string; isAdmin: boolean } | undefined> {
    if (!groupId) {
      const [row] = await this.manager.query<Array<{ currency: string }>>('SELECT currency FROM users WHERE id = $1', [userId]);
      return row && { baseCurrency: row.currency, isAdmin: true };
    }
    const [row] = await this.manager.query<Array<{ base_currency: string; role: string }>>(
      'SELECT g.base_currency, m.role FROM groups g JOIN memberships m ON m.group_id = g.id AND m.user_id = $2 WHERE g.id = $1',
      [groupId, userId],
    );
    return row && { baseCurrency: row.base_currency, isAdmin: row.role === 'admin' };
  }

  /** Inserts or replaces the rates in one statement. */
  async upsert(scope: { userId: string | null; groupId: string | null }, baseCurrency: string, rates: RateInput[]): Promise<void> {
    await this.manager.query(
      `INSERT INTO exchange_rates (user_id, group_id, currency, base_currency, valid_on, rate)
       SELECT $1, $2, r.currency, $3, r.valid_on, r.rate
         FROM jsonb_to_recordset($4::jsonb) AS r(currency char(3), valid_on date, rate numeric)
       ON CONFLICT (group_id, user_id, currency, base_currency, valid_on) DO UPDATE SET rate = excluded.rate`,
      [scope.userId, scope.groupId, baseCurrency, JSON.stringify(rates.map((rate) => ({ currency: rate.currency, valid_on: rate.validOn, rate: rate.rate })))],
    );
  }

  async list(scope: { userId: string | null; groupId: string | null }): Promise<Rate[]> {
    return this.manager.query(
      `SELECT currency, base_currency AS "baseCurrency", valid_on::text AS "validOn", trim_scale(rate)::text AS rate FROM exchange_rates
        WHERE user_id IS NOT DISTINCT FROM $1 AND group_id IS NOT DISTINCT FROM $2 ORDER BY currency, valid_on`,
      [scope.userId, scope.groupId],
    );
  }
}
