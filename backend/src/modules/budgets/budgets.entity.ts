import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CategoryEntity } from '../bills';
import { GroupEntity } from '../groups';
import { UserEntity } from '../users';

export const BUDGET_PERIODS = ['month', 'week'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

export const BUDGET_THRESHOLDS = [80, 100] as const;
export type BudgetThreshold = (typeof BUDGET_THRESHOLDS)[number];

/**
 * How much a user (personal) or a group may spend per month or week, on one category or, with no
 * category, on everything. The amount is in minor units of the scope's base currency.
 */
@Entity({ name: 'budgets' })
@Check('budgets_one_scope', '(user_id IS NULL) <> (group_id IS NULL)')
@Check('budgets_period_known', `period IN ('month', 'week')`)
@Check('budgets_amount_positive', 'amount_minor > 0')
@Index('budgets_scope_key', { synchronize: false })
export class BudgetEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'budgets_user_id_fkey' })
  user?: UserEntity;

  @Column({ name: 'group_id', type: 'uuid', nullable: true })
  groupId!: string | null;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'budgets_group_id_fkey' })
  group?: GroupEntity;

  @Column({ name: 'category_id', type: 'uuid', nullable: true })
  categoryId!: string | null;

  @ManyToOne(() => CategoryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'category_id', foreignKeyConstraintName: 'budgets_category_id_fkey' })
  category?: CategoryEntity;

  @Column({ type: 'text' })
  period!: BudgetPeriod;

  @Column({ name: 'amount_minor', type: 'bigint' })
  amountMinor!: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'budgets_created_by_fkey' })
  creator?: UserEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** A threshold a budget crossed in one period; the key makes each fire once per period. */
@Entity({ name: 'budget_alerts' })
@Check('budget_alerts_threshold_known', 'threshold IN (80, 100)')
export class BudgetAlertEntity {
  @PrimaryColumn({ name: 'budget_id', type: 'uuid' })
  budgetId!: string;

  @ManyToOne(() => BudgetEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'budget_id', foreignKeyConstraintName: 'budget_alerts_budget_id_fkey' })
  budget?: BudgetEntity;

  @PrimaryColumn({ name: 'period_start', type: 'date' })
  periodStart!: string;

  @PrimaryColumn({ type: 'smallint' })
  threshold!: BudgetThreshold;

  @Column({ name: 'raised_at', type: 'timestamptz', default: () => 'now()' })
  raisedAt!: Date;
}
