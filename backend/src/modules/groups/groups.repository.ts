import type { UnitOfWork } from '../../platform/database';
import { GroupEntity, InviteEntity, MembershipEntity, type GroupRole } from './groups.entity';

export interface GroupSummary {
  id: string;
  name: string;
  baseCurrency: string;
  membersSeeAllBills: boolean;
  timeZone: string;
  role: GroupRole;
  memberCount: number;
}

export interface Member {
  userId: string;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  role: GroupRole;
  joinedAt: Date;
}

export interface InviteListing {
  id: string;
  expiresAt: Date;
  maxUses: number | null;
  uses: number;
  revokedAt: Date | null;
  createdAt: Date;
}

export interface InviteRedemption {
  outcome: 'joined' | 'already_member' | 'invalid';
  groupId?: string;
}

export class GroupsRepository {
  constructor(private readonly transactions: UnitOfWork) {}

  private get manager() {
    return this.transactions.manager();
  }

  /**
   * Inserts the group with the current user as its admin (a definer function: see the migrations), in
   * the given time zone or else the admin's own.
   */
  async createWithAdmin(id: string, group: { name: string; baseCurrency: string; timeZone?: string }): Promise<void> {
    await this.manager.query('SELECT app_create_group($1, $2, $3, $4)', [id, group.name, group.baseCurrency, group.timeZone ?? null]);
  }

  async roleOf(groupId: string, userId: string): Promise<GroupRole | undefined> {
    const membership = await this.manager.getRepository(MembershipEntity).findOneBy({ groupId, userId });
    return membership?.role;
  }

  async insertInvite(invite: Pick<InviteEntity, 'id' | 'groupId' | 'tokenHash' | 'expiresAt' | 'maxUses' | 'createdBy'>): Promise<void> {
    await this.manager.getRepository(InviteEntity).insert(invite);
  }

  /** Joins the current user through an invite (a definer function: invites are visible only to admins). */
  async redeemInvite(inviteId: string, tokenHash: string): Promise<InviteRedemption> {
    const [row] = await this.manager.query<Array<{ joined_group: string | null; outcome: InviteRedemption['outcome'] }>>(
      'SELECT joined_group, outcome FROM app_redeem_invite($1, $2)',
      [inviteId, tokenHash],
    );
    return { groupId: row?.joined_group ?? undefined, outcome: row?.outcome ?? 'invalid' };
  }

  /** The groups the current user belongs to, with their role and how many members each has. */
  async listForCurrentUser(userId: string): Promise<GroupSummary[]> {
    const rows = await this.manager
      .getRepository(GroupEntity)
      .createQueryBuilder('g')
      .innerJoin(MembershipEntity, 'mine', 'mine.group_id = g.id AND mine.user_id = :userId', { userId })
      .select(['g.id AS id', 'g.name AS name', 'g.base_currency AS "baseCurrency"', 'g.members_see_all_bills AS "membersSeeAllBills"', 'g.time_zone AS "timeZone"', 'mine.role AS role'])
      .addSelect('(SELECT count(*)::int FROM memberships m WHERE m.group_id = g.id)', 'memberCount')
      .orderBy('g.name', 'ASC')
      .getRawMany<GroupSummary>();
    return rows;
  }

  /** Groups where the user is the only admin while others remain: they must hand over or delete first. */
  async groupsOnlyAdministeredBy(userId: string): Promise<Array<{ id: string; name: string }>> {
    return this.manager.query(
      `SELECT g.id, g.name FROM groups g
        WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.group_id = g.id AND m.user_id = $1 AND m.role = 'admin')
          AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.group_id = g.id AND m.user_id <> $1 AND m.role = 'admin')
          AND EXISTS (SELECT 1 FROM memberships m WHERE m.group_id = g.id AND m.user_id <> $1)
        ORDER BY g.name`,
      [userId],
    );
  }

  /** Deletes the groups whose only member is the user (nobody else would ever see them again). */
  async deleteGroupsOnlyContaining(userId: string): Promise<void> {
    await this.manager.query(
      `DELETE FROM groups g
        WHERE EXISTS (SELECT 1 FROM memberships m WHERE m.group_id = g.id AND m.user_id = $1)
          AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.group_id = g.id AND m.user_id <> $1)`,
      [userId],
    );
  }

  async members(groupId: string): Promise<Member[]> {
    const rows = await this.manager.query<Array<{ user_id: string; username: string | null; first_name: string | null; last_name: string | null; role: GroupRole; joined_at: Date }>>(
      'SELECT * FROM app_group_members($1)',
      [groupId],
    );
    return rows.map((row) => ({ userId: row.user_id, username: row.username, firstName: row.first_name, lastName: row.last_name, role: row.role, joinedAt: row.joined_at }));
  }

  /** Locks the group's admin rows, so two admins demoting each other cannot leave it with none. */
  async lockedAdminIds(groupId: string): Promise<string[]> {
    const rows = await this.manager.query<Array<{ user_id: string }>>(`SELECT user_id FROM memberships WHERE group_id = $1 AND role = 'admin' ORDER BY user_id FOR UPDATE`, [groupId]);
    return rows.map((row) => row.user_id);
  }

  async memberCount(groupId: string): Promise<number> {
    const [row] = await this.manager.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM memberships WHERE group_id = $1', [groupId]);
    return row?.n ?? 0;
  }

  async setRole(groupId: string, userId: string, role: GroupRole): Promise<boolean> {
    return ((await this.manager.getRepository(MembershipEntity).update({ groupId, userId }, { role })).affected ?? 0) > 0;
  }

  async removeMember(groupId: string, userId: string): Promise<boolean> {
    return ((await this.manager.getRepository(MembershipEntity).delete({ groupId, userId })).affected ?? 0) > 0;
  }

  async updateGroup(groupId: string, changes: Partial<Pick<GroupEntity, 'name' | 'membersSeeAllBills' | 'timeZone'>>): Promise<void> {
    await this.manager.getRepository(GroupEntity).update({ id: groupId }, changes);
  }

  async deleteGroup(groupId: string): Promise<void> {
    await this.manager.getRepository(GroupEntity).delete({ id: groupId });
  }

  async invites(groupId: string): Promise<InviteListing[]> {
    return this.manager.getRepository(InviteEntity).find({
      where: { groupId },
      order: { createdAt: 'DESC' },
      select: { id: true, expiresAt: true, maxUses: true, uses: true, revokedAt: true, createdAt: true },
    });
  }

  async revokeInvite(groupId: string, inviteId: string): Promise<boolean> {
    return ((await this.manager.getRepository(InviteEntity).update({ id: inviteId, groupId }, { revokedAt: new Date() })).affected ?? 0) > 0;
  }
}
