import type { Transactions } from '../../platform/database';
import { GroupNotFound, NotGroupAdmin, type GroupRole } from '../groups';
import type { AuditChanges, AuditLogEntity } from './audit.entity';
import { InvalidAuditCursor } from './audit.errors';
import type { AuditFilter, AuditRepository, AuditScope } from './audit.repository';

/** What audit needs of groups (the groups module provides it). Called inside the caller's unit of work. */
export interface GroupRoles {
  roleIn(groupId: string, userId: string): Promise<GroupRole | undefined>;
}

export interface AuditQuery {
  action?: string;
  targetType?: string;
  targetId?: string;
  /** Group logs only. */
  actorId?: string;
  from?: string;
  to?: string;
  limit: number;
  cursor?: string;
}

export interface AuditEntryView {
  id: string;
  occurredAt: string;
  /** Null: the system, or an account deleted since. */
  actorId: string | null;
  groupId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  changes: AuditChanges | null;
  requestId: string | null;
}

export interface AuditPageView {
  items: AuditEntryView[];
  nextCursor: string | null;
}

// The cursor is the sequence number of the last entry handed out, opaque to clients.
const encodeCursor = (seq: string) => Buffer.from(seq).toString('base64url');

function decodeCursor(cursor: string): string {
  const seq = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[1-9]\d{0,18}$/.test(seq) || encodeCursor(seq) !== cursor) throw new InvalidAuditCursor();
  return seq;
}

function toView(entry: AuditLogEntity): AuditEntryView {
  return {
    id: entry.id,
    occurredAt: entry.occurredAt.toISOString(),
    actorId: entry.actorId,
    groupId: entry.groupId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    changes: entry.changes,
    requestId: entry.requestId,
  };
}

export class AuditService {
  constructor(
    private readonly transactions: Transactions,
    private readonly audit: AuditRepository,
    private readonly groups: GroupRoles,
  ) {}

  /** What the user did, anywhere. */
  listMine(userId: string, query: Omit<AuditQuery, 'actorId'>): Promise<AuditPageView> {
    return this.transactions.run({ userId }, () => this.page({ actorId: userId }, query));
  }

  /** Everything that happened in a group; for its admins. Non-members learn nothing, not even that it exists. */
  listGroup(userId: string, groupId: string, query: AuditQuery): Promise<AuditPageView> {
    return this.transactions.run({ userId }, async () => {
      const role = await this.groups.roleIn(groupId, userId);
      if (!role) throw new GroupNotFound();
      if (role !== 'admin') throw new NotGroupAdmin();
      return this.page({ groupId }, query);
    });
  }

  private async page(scope: AuditScope, query: AuditQuery): Promise<AuditPageView> {
    const filter: AuditFilter = {
      action: query.action,
      targetType: query.targetType,
      targetId: query.targetId,
      actorId: query.actorId,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
    };
    // One entry more than asked tells whether another page follows.
    const entries = await this.audit.page(scope, filter, query.limit + 1, query.cursor ? decodeCursor(query.cursor) : undefined);
    const items = entries.slice(0, query.limit);
    const last = items.at(-1);
    return { items: items.map(toView), nextCursor: last && entries.length > query.limit ? encodeCursor(last.seq) : null };
  }
}
