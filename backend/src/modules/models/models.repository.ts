import type { Pool } from 'pg';
import type { UnitOfWork } from '../../platform/database';
import { MlModelEntity, type ModelMetrics, type ModelStatus } from './models.entity';
import type { MonthlySpend } from './training-export';

export interface NewModelRow {
  name: string;
  version: string;
  status: ModelStatus;
  metrics: ModelMetrics;
  dataFrom: string;
  dataTo: string;
  seriesCount: number;
  billCount: number | null;
  dataCutoff: Date | null;
  promotedAt: Date | null;
}

/** The ml_models catalogue, inside the caller's unit of work. */
export class ModelsRepository {
  constructor(private readonly transactions: UnitOfWork) {}

  private get models() {
    return this.transactions.manager().getRepository(MlModelEntity);
  }

  find(name: string, version: string): Promise<MlModelEntity | null> {
    return this.models.findOneBy({ name, version });
  }

  active(name: string): Promise<MlModelEntity | null> {
    return this.models.findOneBy({ name, status: 'active' });
  }

  async insert(row: NewModelRow): Promise<MlModelEntity> {
    return this.models.save(this.models.create(row));
  }

  /** Retires the active version of `name` (if any) and makes `version` the active one. */
  async activate(name: string, version: string, at: Date): Promise<void> {
    // Retire first: the partial unique index allows one active row per name at any moment.
    await this.models.update({ name, status: 'active' }, { status: 'retired' });
    await this.models.update({ name, version }, { status: 'active', promotedAt: at });
  }

  /** Bills created up to this instant went into the newest model trained on the product's data. */
  async latestDataCutoff(name: string): Promise<Date | undefined> {
    const [row] = await this.transactions.manager().query<Array<{ cutoff: Date | null }>>(`SELECT max(data_cutoff) AS cutoff FROM ml_models WHERE name = $1`, [name]);
    return row?.cutoff ?? undefined;
  }
}

/**
 * Reads every tenant's bills, which the app role cannot (row-level security): this runs on the schema
 * owner's connection, and only for the retraining job, which writes nothing here.
 */
export class TrainingDataRepository {
  constructor(private readonly owner: Pool) {}

  async billsCreatedAfter(instant: Date | undefined): Promise<number> {
    const { rows } = await this.owner.query<{ count: number }>(`SELECT count(*)::int AS count FROM bills WHERE created_at > $1`, [instant ?? new Date(0)]);
    return rows[0]!.count;
  }

  /** Monthly spend per scope and category of the bills created up to `cutoff` and spent before `before`. */
  async monthlySpend(cutoff: Date, before: string): Promise<MonthlySpend[]> {
    const { rows } = await this.owner.query<{ scope: string; category: string | null; month: string; amount: string; bills: number }>(
      `SELECT coalesce(group_id, user_id)::text AS scope, category_id::text AS category,
              date_trunc('month', spent_on::timestamp)::date::text AS month,
              sum(base_amount_minor)::text AS amount, count(*)::int AS bills
         FROM bills
        WHERE created_at <= $1 AND spent_on < $2::date
        GROUP BY 1, 2, 3
        ORDER BY 1, 2 NULLS FIRST, 3`,
      [cutoff, before],
    );
    return rows.map((row) => ({ scope: row.scope, category: row.category, month: row.month, amountMinor: BigInt(row.amount), bills: row.bills }));
  }
}
