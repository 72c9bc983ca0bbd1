import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export const MODEL_STATUSES = ['candidate', 'active', 'retired', 'failed'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

/** The backtest of one method on one slice of series, as the training report writes it. */
export interface BacktestScores {
  maseMean: number;
  maseMedian: number;
  wape: number;
  coverage: number;
  meanWidth: number;
  series: number;
  forecasts: number;
}

/** The model's own backtest per interval: overall and per horizon ("1", "2", "3"). */
export type ModelMetrics = Record<string, { overall: BacktestScores; byHorizon: Record<string, BacktestScores> }>;

/**
 * A registered version of a forecasting model. `status`: candidate (registered, not serving), active
 * (what `models/<name>/active.json` points at), retired (served once), failed (its backtest holds no
 * scores of the model, so it is never promoted).
 */
@Entity({ name: 'ml_models' })
@Check('ml_models_status_known', `status IN ('candidate', 'active', 'retired', 'failed')`)
@Unique('ml_models_name_version_key', ['name', 'version'])
@Index('ml_models_one_active', ['name'], { unique: true, where: `status = 'active'` })
export class MlModelEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  version!: string;

  @Column({ type: 'text' })
  status!: ModelStatus;

  @Column({ type: 'jsonb' })
  metrics!: ModelMetrics;

  /** First and last period of the training series. */
  @Column({ name: 'data_from', type: 'date' })
  dataFrom!: string;

  @Column({ name: 'data_to', type: 'date' })
  dataTo!: string;

  @Column({ name: 'series_count', type: 'integer' })
  seriesCount!: number;

  /** Bills behind the series, for a model trained on the product's own export. */
  @Column({ name: 'bill_count', type: 'integer', nullable: true })
  billCount!: number | null;

  /** Bills created up to this instant were exported; the retraining job counts new bills after it. */
  @Column({ name: 'data_cutoff', type: 'timestamptz', nullable: true })
  dataCutoff!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'promoted_at', type: 'timestamptz', nullable: true })
  promotedAt!: Date | null;
}
