import type { UnitOfWork } from '../../platform/database';
import { GroupEntity, InviteEntity, MembershipEntity, type GroupRole } from './groups.entity';

export interface GroupSummary {
  id: string;
  name: string;
  baseCurrency: string;
  membersSeeAllBills: boolean;
  role: GroupRole;
  memberCount: number;
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

  /** Inserts the group with the current user as its admin (a definer function: see the migration). */
  async createWithAdmin(id: string, name: string, baseCurrency: string): Promise<void> {
    await this.manager.query('SELECT app_create_group($1, $2, $3)', [id, name, baseCurrency]);
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
      .select(['g.id AS id', 'g.name AS name', 'g.base_currency AS "baseCurrency"', 'g.members_see_all_bills AS "membersSeeAllBills"', 'mine.role AS role'])
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
}
