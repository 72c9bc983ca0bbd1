import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { CategoryEntity } from '../bills';
import { GroupEntity } from '../groups';
import { UserEntity } from '../users';

/**
 * The daily spend rollup, written only by the `bills_spend_daily` trigger (see the migration): the
 * sum and count of the bills of one scope, spender, category and day, in the scope's base currency.
 * `userId` is the owner of personal bills and the creator of group bills (null once that account
 * is deleted); `categoryId` null is uncategorised spending.
 */
@Entity({ name: 'spend_daily' })
@Index('spend_daily_scope_key', { synchronize: false })
@Index('spend_daily_group_day_idx', ['groupId', 'day'], { where: 'group_id IS NOT NULL' })
@Index('spend_daily_user_day_idx', ['userId', 'day'], { where: 'user_id IS NOT NULL' })
export class SpendDailyEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ name: 'group_id', type: 'uuid', nullable: true })
  groupId!: string | null;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'spend_daily_group_id_fkey' })
  group?: GroupEntity;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'spend_daily_user_id_fkey' })
  user?: UserEntity;

  @Column({ name: 'category_id', type: 'uuid', nullable: true })
  categoryId!: string | null;

  @ManyToOne(() => CategoryEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'category_id', foreignKeyConstraintName: 'spend_daily_category_id_fkey' })
  category?: CategoryEntity;

  @Column({ type: 'date' })
  day!: string;

  @Column({ name: 'total_base_minor', type: 'bigint' })
  totalBaseMinor!: string;

  @Column({ name: 'bill_count', type: 'integer' })
  billCount!: number;
}
