import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { GroupEntity } from '../groups';
import { UserEntity } from '../users';

/** A field's value before and after an update. */
export interface FieldChange {
  from: unknown;
  to: unknown;
}

/**
 * What a mutation did: the row as created (`after`), as deleted (`before`), or the fields an update
 * changed. Null when there is nothing to keep, e.g. for the entries of a deleted account.
 */
export type AuditChanges = { after: Record<string, unknown> } | { before: Record<string, unknown> } | Record<string, FieldChange>;

/**
 * One mutation of an audited table, written by the `audit_row_change()` trigger in the same
 * transaction as the change (see the migration). Append-only: the app role may only read it.
 */
@Entity({ name: 'audit_logs' })
@Index('audit_logs_group_seq_idx', ['groupId', 'seq'])
@Index('audit_logs_actor_seq_idx', ['actorId', 'seq'])
@Index('audit_logs_target_idx', ['targetType', 'targetId'])
export class AuditLogEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Increases with every entry, also within one transaction: the order listings walk. */
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS' })
  seq!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz', default: () => 'now()' })
  occurredAt!: Date;

  /** Who did it; null for the system (migrations) and once the actor's account is deleted. */
  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'actor_id', foreignKeyConstraintName: 'audit_logs_actor_id_fkey' })
  actor?: UserEntity;

  /** The group the changed row belongs to; null for personal rows. A group's log goes with the group. */
  @Column({ name: 'group_id', type: 'uuid', nullable: true })
  groupId!: string | null;

  @ManyToOne(() => GroupEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_id', foreignKeyConstraintName: 'audit_logs_group_id_fkey' })
  group?: GroupEntity;

  /** `<targetType>.<created|updated|deleted>`, e.g. `bill.updated`. */
  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'target_type', type: 'text' })
  targetType!: string;

  @Column({ name: 'target_id', type: 'text' })
  targetId!: string;

  @Column({ type: 'jsonb', nullable: true })
  changes!: AuditChanges | null;

  /** The X-Request-Id of the HTTP request that made the change, when there was one. */
  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId!: string | null;
}
