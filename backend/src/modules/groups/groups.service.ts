import { randomUUID } from 'node:crypto';
import type { Transactions } from '../../platform/database';
import { createOpaqueToken, readOpaqueToken } from '../../platform/tokens';
import { AlreadyMember, GroupNotFound, InviteInvalid, NotGroupAdmin } from './groups.errors';
import type { GroupRole } from './groups.entity';
import type { GroupSummary, GroupsRepository } from './groups.repository';

export interface NewGroup {
  name: string;
  baseCurrency: string;
}

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
  ) {}

  /** Within the caller's unit of work: a new group with the current user as its admin and the default categories. */
  async createGroup(input: NewGroup): Promise<string> {
    const id = randomUUID();
    await this.groups.createWithAdmin(id, input.name, input.baseCurrency);
    await this.categories.createGroupDefaults(id);
    return id;
  }

  /** Within the caller's unit of work: joins the current user to the invite's group. */
  async joinWithInvite(token: string): Promise<string> {
    const parsed = readOpaqueToken(token);
    if (!parsed) throw new InviteInvalid();
    const redemption = await this.groups.redeemInvite(parsed.ownerId, parsed.hash);
    if (redemption.outcome === 'already_member') throw new AlreadyMember();
    if (redemption.outcome !== 'joined' || !redemption.groupId) throw new InviteInvalid();
    return redemption.groupId;
  }

  create(userId: string, input: NewGroup): Promise<GroupSummary> {
    return this.transactions.run({ userId }, async () => {
      const id = await this.createGroup(input);
      return this.summary(userId, id);
    });
  }

  accept(userId: string, token: string): Promise<GroupSummary> {
    return this.transactions.run({ userId }, async () => this.summary(userId, await this.joinWithInvite(token)));
  }

  listMine(userId: string): Promise<GroupSummary[]> {
    return this.transactions.run({ userId }, () => this.groups.listForCurrentUser(userId));
  }

  /** A new invitation link token; shown once, stored hashed. */
  invite(userId: string, groupId: string, input: NewInvite): Promise<{ token: string; expiresAt: Date; maxUses: number | null }> {
    return this.transactions.run({ userId }, async () => {
      const role = await this.groups.roleOf(groupId, userId);
      if (!role) throw new GroupNotFound();
      if (role !== 'admin') throw new NotGroupAdmin();
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
