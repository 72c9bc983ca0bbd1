import type { UnitOfWork } from '../../platform/database';
import { AuditLogEntity } from './audit.entity';

export interface AuditFilter {
  action?: string;
  targetType?: string;
  targetId?: string;
  actorId?: string;
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

/** Whose entries: a group's log, or the actions of one user. */
export type AuditScope = { groupId: string } | { actorId: string };

export class AuditRepository {
  constructor(private readonly transactions: UnitOfWork) {}

  /**
   * Entries of the scope, newest first, with a sequence number below `beforeSeq` when given.
   * Row-level security decides what the current user may see at all.
   */
  async page(scope: AuditScope, filter: AuditFilter, limit: number, beforeSeq?: string): Promise<AuditLogEntity[]> {
    const query = this.transactions.manager().getRepository(AuditLogEntity).createQueryBuilder('entry');
    if ('groupId' in scope) query.where('entry.group_id = :groupId', { groupId: scope.groupId });
    else query.where('entry.actor_id = :scopeActor', { scopeActor: scope.actorId });
    if (filter.action) query.andWhere('entry.action = :action', { action: filter.action });
    if (filter.targetType) query.andWhere('entry.target_type = :targetType', { targetType: filter.targetType });
    if (filter.targetId) query.andWhere('entry.target_id = :targetId', { targetId: filter.targetId });
    if (filter.actorId) query.andWhere('entry.actor_id = :actorId', { actorId: filter.actorId });
    if (filter.from) query.andWhere('entry.occurred_at >= :from', { from: filter.from });
    if (filter.to) query.andWhere('entry.occurred_at < :to', { to: filter.to });
    if (beforeSeq) query.andWhere('entry.seq < :beforeSeq', { beforeSeq });
    return query.orderBy('entry.seq', 'DESC').limit(limit).getMany();
  }
}
