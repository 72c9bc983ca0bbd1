import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import { GroupEntity } from '../groups';
import { UserEntity } from '../users';
import { CategoryEntity } from './categories.entity';

export const SPLIT_KINDS = ['equal', 'exact', 'percent'] as const;
export type SplitKind = (typeof SPLIT_KINDS)[number];

/**
 * One expense. Personal bills have `userId` (the owner); group bills have `groupId` and keep their
 * creator in `createdBy`, which becomes null ("deleted user") when that account is deleted.
 * Money is in minor units; `baseAmountMinor` is the amount in the scope's base currency.
 */
@Entity({ name: 'bills' })
@Check('bills_one_scope', '(user_id IS NULL) <> (group_id IS NULL)')
@Check('bills_amount_positive', 'amount_minor > 0')
@Index('bills_user_spent_idx', ['userId', 'spentAt', 'id'], { where: 'user_id IS NOT NULL' })
@Index('bills_user_category_spent_idx', ['userId', 'categoryId', 'spentAt', 'id'], { where: 'user_id IS NOT NULL' })
@Index('bills_group_spent_idx', ['groupId', 'spentAt', 'id'], { where: 'group_id IS NOT NULL' })
@Index('bills_group_category_spent_idx', ['groupId', 'categoryId', 'spentAt', 'id'], { where: 'group_id IS NOT NULL' })
@Index('bills_group_creator_spent_idx', ['groupId', 'createdBy', 'spentAt', 'id'], { where: 'group_id IS NOT NULL' })
// A trigram GIN index on search_document (gin_trgm_ops), which TypeORM cannot express.
@Index('bills_search_trgm_idx', { synchronize: false })
@Index('bills_tags_idx', { synchronize: false })
export class BillEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'bills_user_id_fkey' })
  user?: UserEntity;

  @Column({ name: 'group_id', type: 'uuid', nullable: true })
  groupId!: string | null;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'bills_group_id_fkey' })
  group?: GroupEntity;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'bills_created_by_fkey' })
  creator?: UserEntity;

  @Column({ type: 'text' })
  title!: string;

  @Column({ name: 'amount_minor', type: 'bigint' })
  amountMinor!: string;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  /** The rate used to convert into the scope's base currency (1 when it is the same). */
  @Column({ name: 'exchange_rate', type: 'numeric', precision: 24, scale: 12 })
  exchangeRate!: string;

  @Column({ name: 'base_amount_minor', type: 'bigint' })
  baseAmountMinor!: string;

  @Column({ name: 'spent_at', type: 'timestamptz' })
  spentAt!: Date;

  /** The IANA zone the bill was recorded in; `spentOn` is the calendar day there. */
  @Column({ name: 'time_zone', type: 'text' })
  timeZone!: string;

  @Column({ name: 'spent_on', type: 'date' })
  spentOn!: string;

  @Column({ name: 'category_id', type: 'uuid', nullable: true })
  categoryId!: string | null;

  @ManyToOne(() => CategoryEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'category_id', foreignKeyConstraintName: 'bills_category_id_fkey' })
  category?: CategoryEntity;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @Column({ type: 'text', nullable: true })
  payee!: string | null;

  @Column({ type: 'text', nullable: true })
  notes!: string | null;

  @Column({ name: 'split_kind', type: 'text', nullable: true })
  splitKind!: SplitKind | null;

  /**
   * search_text() of title, payee and notes, kept by the bills_search_document trigger; only for
   * searching (never read into the entity, never written by TypeORM).
   */
  @Column({ name: 'search_document', type: 'text', nullable: true, select: false, insert: false, update: false })
  searchDocument?: string | null;

  @VersionColumn()
  version!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Who shares a bill and by how much (minor units of the bill's currency). */
@Entity({ name: 'bill_participants' })
export class BillParticipantEntity {
  @PrimaryColumn({ name: 'bill_id', type: 'uuid' })
  billId!: string;

  @ManyToOne(() => BillEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bill_id', foreignKeyConstraintName: 'bill_participants_bill_id_fkey' })
  bill?: BillEntity;

  @Index('bill_participants_user_id_idx')
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'bill_participants_user_id_fkey' })
  user?: UserEntity;

  @Column({ name: 'share_minor', type: 'bigint' })
  shareMinor!: string;

  /** Set for percentage splits, e.g. 33.33. */
  @Column({ type: 'numeric', precision: 7, scale: 4, nullable: true })
  percent!: string | null;
}

/** A conversion rate someone uploaded: 1 `currency` = `rate` `baseCurrency` from `validOn`. */
@Entity({ name: 'exchange_rates' })
@Check('exchange_rates_one_scope', '(user_id IS NULL) <> (group_id IS NULL)')
@Check('exchange_rates_rate_positive', 'rate > 0')
@Index('exchange_rates_lookup_key', { synchronize: false })
export class ExchangeRateEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'exchange_rates_user_id_fkey' })
  user?: UserEntity;

  @Column({ name: 'group_id', type: 'uuid', nullable: true })
  groupId!: string | null;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'exchange_rates_group_id_fkey' })
  group?: GroupEntity;

  @Column({ type: 'char', length: 3 })
  currency!: string;

  @Column({ name: 'base_currency', type: 'char', length: 3 })
  baseCurrency!: string;

  @Column({ name: 'valid_on', type: 'date' })
  validOn!: string;

  @Column({ type: 'numeric', precision: 24, scale: 12 })
  rate!: string;
}

/**
 * One version of a bill that a change removed (`sign` -1) or added (+1), written by the `bills_journal`
 * trigger in the change's transaction (`xid`) and kept until an hour after that transaction ended: how cached filter totals learn what
 * changed since they were counted (`BillTotals`). Holds the columns a filter reads, named as in bills.
 */
@Entity({ name: 'bill_changes' })
@Check('bill_changes_sign', 'sign IN (-1, 1)')
@Index('bill_changes_group_xid_idx', ['groupId', 'xid'], { where: 'group_id IS NOT NULL' })
@Index('bill_changes_user_xid_idx', ['userId', 'xid'], { where: 'user_id IS NOT NULL' })
export class BillChangeEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  seq!: string;

  /** The writing transaction's id (`pg_current_xact_id()`, an xid8, as bigint). */
  @Column({ type: 'bigint' })
  xid!: string;

  @Column({ name: 'changed_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  changedAt!: Date;

  @Column({ type: 'smallint' })
  sign!: number;

  /** No foreign keys (see the migration): a deleted group's or account's rows wait for the prune (every 10 minutes, an hour after their transaction). */
  @Column({ name: 'group_id', type: 'uuid', nullable: true })
  groupId!: string | null;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @Column({ name: 'category_id', type: 'uuid', nullable: true })
  categoryId!: string | null;

  @Column({ type: 'text', array: true })
  tags!: string[];

  @Column({ name: 'spent_at', type: 'timestamptz' })
  spentAt!: Date;

  @Column({ name: 'base_amount_minor', type: 'bigint' })
  baseAmountMinor!: string;

  @Column({ name: 'search_document', type: 'text', nullable: true })
  searchDocument!: string | null;
}
