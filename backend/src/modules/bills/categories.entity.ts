import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { GroupEntity } from '../groups';
import { UserEntity } from '../users';

/** A spending category, owned by one user (personal) or one group. Names are unique in their scope, ignoring case. */
@Entity({ name: 'categories' })
@Check('categories_one_scope', '(user_id IS NULL) <> (group_id IS NULL)')
@Index('categories_user_name_key', ['userId', 'name'], { unique: true, where: 'user_id IS NOT NULL' })
@Index('categories_group_name_key', ['groupId', 'name'], { unique: true, where: 'group_id IS NOT NULL' })
export class CategoryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'categories_user_id_fkey' })
  user?: UserEntity;

  @Column({ name: 'group_id', type: 'uuid', nullable: true })
  groupId!: string | null;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'categories_group_id_fkey' })
  group?: GroupEntity;

  @Column({ type: 'citext' })
  name!: string;

  /** CSS hex colour, e.g. #4caf50. */
  @Column({ type: 'text' })
  color!: string;

  /** Ionicons name, e.g. cart-outline. */
  @Column({ type: 'text' })
  icon!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
