import { randomUUID } from 'node:crypto';
import type { EventPublisher } from '../../platform/bus';
import type { Transactions } from '../../platform/database';
import { createOpaqueToken, readOpaqueToken } from '../../platform/tokens';
import { AlreadyMember, GroupNotFound, InviteInvalid, InviteNotFound, LastAdmin, MemberNotFound, NotGroupAdmin } from './groups.errors';
import type { GroupRole } from './groups.entity';
import type { GroupSummary, GroupsRepository, InviteListing, Member } from './groups.repository';

export interface NewGroup {
  name: string;
  baseCurrency: string;
  /** Where the group's budget periods start and end; the creator's own time zone when absent. */
  timeZone?: string;
}

export type GroupChanges = Partial<Pick<GroupSummary, 'name' | 'membersSeeAllBills' | 'timeZone'>>;

export interface NewInvite {
  /** Hours until the link stops working. */
  expiresInHours: number;
  /** How many people may join with it; unlimited when absent. */
  maxUses?: number;
}

/** What a new group needs from the categories (the bills module provides it), inside the caller's unit of work. */
export interface GroupStartingCategories {
  createGroupDefaults(groupId: string): Promise<void>;
}

export class GroupsService {
  constructor(
    private readonly transactions: Transactions,
    private readonly groups: GroupsRepository,
    private readonly categories: GroupStartingCategories,
    private readonly events: EventPublisher,
  ) {}

  /** Within the caller's unit of work: a new group with `userId` (the current user) as its admin and the default categories. */
  async createGroup(userId: string, input: NewGroup): Promise<string> {
    const id = randomUUID();
    await this.groups.createWithAdmin(id, input);
    await this.categories.createGroupDefaults(id);
    await this.joined(userId, id, 'admin');
    return id;
  }

  /** Within the caller's unit of work: joins `userId` (the current user) to the invite's group. */
  async joinWithInvite(userId: string, token: string): Promise<string> {
    const parsed = readOpaqueToken(token);
    if (!parsed) throw new InviteInvalid();
    const redemption = await this.groups.redeemInvite(parsed.ownerId, parsed.hash);
    if (redemption.outcome === 'already_member') throw new AlreadyMember();
    if (redemption.outcome !== 'joined' || !redemption.groupId) throw new InviteInvalid();
    await this.joined(userId, redemption.groupId, 'member');
    return redemption.groupId;
  }

  create(userId: string, input: NewGroup): Promise<GroupSummary> {
    return this.transactions.run({ userId }, async () => {
      const id = await this.createGroup(userId, input);
      return this.summary(userId, id);
    });
  }

  accept(userId: string, token: string): Promise<GroupSummary> {
    return this.transactions.run({ userId }, async () => this.summary(userId, await this.joinWithInvite(userId, token)));
  }

  listMine(userId: string): Promise<GroupSummary[]> {
    return this.transactions.run({ userId }, () => this.groups.listForCurrentUser(userId));
  }

  /** A new invitation link token; shown once, stored hashed. */
  invite(userId: string, groupId: string, input: NewInvite): Promise<{ token: string; expiresAt: Date; maxUses: number | null }> {
    return this.transactions.run({ userId }, async () => {
      await this.assertAdmin(groupId, userId);
      const id = randomUUID();
      const { token, hash } = createOpaqueToken(id);
      const expiresAt = new Date(Date.now() + input.expiresInHours * 3_600_000);
      await this.groups.insertInvite({ id, groupId, tokenHash: hash, expiresAt, maxUses: input.maxUses ?? null, createdBy: userId });
      return { token, expiresAt, maxUses: input.maxUses ?? null };
    });
  }

  /** Within the caller's unit of work: the user's role in the group, or undefined when they are not a member. */
  roleIn(groupId: string, userId: string): Promise<GroupRole | undefined> {
    return this.groups.roleOf(groupId, userId);
  }

  /** Within the caller's unit of work: groups the user alone administers while others remain. */
  groupsNeedingAnotherAdmin(userId: string): Promise<Array<{ id: string; name: string }>> {
    return this.groups.groupsOnlyAdministeredBy(userId);
  }

  get(userId: string, groupId: string): Promise<GroupSummary> {
    return this.transactions.run({ userId }, () => this.summary(userId, groupId));
  }

  /** Renames the group, changes whether members see each other's bills, or moves it to another time zone (admins). */
  update(userId: string, groupId: string, changes: GroupChanges): Promise<GroupSummary> {
    return this.transactions.run({ userId }, async () => {
      await this.assertAdmin(groupId, userId);
      await this.groups.updateGroup(groupId, changes);
      return this.summary(userId, groupId);
    });
  }

  /** Deletes the group with its bills, categories and invitations (admins). */
  delete(userId: string, groupId: string): Promise<void> {
    return this.transactions.run({ userId }, async () => {
      await this.assertAdmin(groupId, userId);
      await this.groups.deleteGroup(groupId);
    });
  }

  members(userId: string, groupId: string): Promise<Member[]> {
    return this.transactions.run({ userId }, async () => {
      await this.assertMember(groupId, userId);
      return this.groups.members(groupId);
    });
  }

  /** Makes a member admin or member (admins); the group always keeps one admin. */
  changeRole(userId: string, groupId: string, memberId: string, role: GroupRole): Promise<Member> {
    return this.transactions.run({ userId }, async () => {
      await this.assertAdmin(groupId, userId);
      const admins = await this.groups.lockedAdminIds(groupId);
      // Decided under the lock: an admin demoted a moment ago by another admin may no longer act.
      if (!admins.includes(userId)) throw new NotGroupAdmin();
      if (role === 'member' && admins.length === 1 && admins[0] === memberId) throw new LastAdmin();
      if (!(await this.groups.setRole(groupId, memberId, role))) throw new MemberNotFound();
      return (await this.groups.members(groupId)).find((member) => member.userId === memberId)!;
    });
  }

  /**
   * Removes a member (admins), or the caller themselves (leaving). The last admin cannot leave while
   * others remain; the last member leaving deletes the group.
   */
  removeMember(userId: string, groupId: string, memberId: string): Promise<void> {
    return this.transactions.run({ userId }, async () => {
      const role = await this.assertMember(groupId, userId);
      if (memberId !== userId && role !== 'admin') throw new NotGroupAdmin();
      const admins = role === 'admin' ? await this.groups.lockedAdminIds(groupId) : [];
      if (role === 'admin' && !admins.includes(userId) && memberId !== userId) throw new NotGroupAdmin();
      const othersRemain = (await this.groups.memberCount(groupId)) > 1;
      if (memberId === userId && !othersRemain) return this.groups.deleteGroup(groupId);
      if (admins.length === 1 && admins[0] === memberId) throw new LastAdmin();
      if (!(await this.groups.removeMember(groupId, memberId))) throw new MemberNotFound();
    });
  }

  invites(userId: string, groupId: string): Promise<InviteListing[]> {
    return this.transactions.run({ userId }, async () => {
      await this.assertAdmin(groupId, userId);
      return this.groups.invites(groupId);
    });
  }

  revokeInvite(userId: string, groupId: string, inviteId: string): Promise<void> {
    return this.transactions.run({ userId }, async () => {
      await this.assertAdmin(groupId, userId);
      if (!(await this.groups.revokeInvite(groupId, inviteId))) throw new InviteNotFound();
    });
  }

  /** Within a unit of work: the caller's role; strangers learn nothing (404). */
  private joined(userId: string, groupId: string, role: GroupRole): Promise<void> {
    return this.events.publish({ scopeKey: groupId, payload: { case: 'userJoined', value: { userId, groupId, role } } });
  }

  private async assertMember(groupId: string, userId: string): Promise<GroupRole> {
    const role = await this.groups.roleOf(groupId, userId);
    if (!role) throw new GroupNotFound();
    return role;
  }

  private async assertAdmin(groupId: string, userId: string): Promise<void> {
    if ((await this.assertMember(groupId, userId)) !== 'admin') throw new NotGroupAdmin();
  }

  /** Within the caller's unit of work: removes the groups nobody but the user belongs to. */
  deleteGroupsOnlyContaining(userId: string): Promise<void> {
    return this.groups.deleteGroupsOnlyContaining(userId);
  }

  private async summary(userId: string, groupId: string): Promise<GroupSummary> {
    const group = (await this.groups.listForCurrentUser(userId)).find((candidate) => candidate.id === groupId);
    if (!group) throw new GroupNotFound();
    return group;
  }
}
