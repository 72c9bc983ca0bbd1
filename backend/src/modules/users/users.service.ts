import type { EventPublisher } from '../../platform/bus';
import type { ScopedAnswers } from '../../platform/cache';
import { violatesUnique, type Transactions } from '../../platform/database';
import type { Mailer } from '../../platform/mail';
import { createOpaqueToken, readOpaqueToken } from '../../platform/tokens';
import type { Theme, UserEntity } from './users.entity';
import { AlreadyOnboarded, DeletionLinkInvalid, SoleAdminOfGroups, UserNotFound, UsernameTaken } from './users.errors';
import type { UsersRepository } from './users.repository';

const DELETION_LINK_TTL_MS = 24 * 3_600_000;

export interface Settings {
  theme: Theme;
  locale: string;
  currency: string;
  timeZone: string;
}

export interface Profile {
  id: string;
  email: string;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  birthday: string | null;
  age: number | null;
  onboarded: boolean;
  settings: Settings;
}

export interface ProfileChanges {
  username?: string;
  firstName?: string;
  lastName?: string;
  birthday?: string;
  settings?: Partial<Settings>;
}

export type StartMode = { mode: 'single' } | { mode: 'join'; inviteToken: string } | { mode: 'create'; groupName: string; baseCurrency?: string };

export interface OnboardingInput {
  username: string;
  firstName: string;
  lastName: string;
  birthday: string;
  start: StartMode;
  extraCategories: Array<{ name: string; color: string; icon: string }>;
  settings: Partial<Settings>;
}

export interface NewAccount {
  id: string;
  email: string;
  emailVerified: boolean;
  firstName?: string;
  lastName?: string;
}

/** What users need of categories (the bills module provides it). Called inside the caller's unit of work. */
export interface StartingCategories {
  createDefaults(userId: string): Promise<void>;
  addPersonal(userId: string, categories: Array<{ name: string; color: string; icon: string }>): Promise<void>;
}

/** What users need of groups (the groups module provides it). Called inside the caller's unit of work. */
export interface GroupMemberships {
  createGroup(userId: string, group: { name: string; baseCurrency: string }): Promise<string>;
  joinWithInvite(userId: string, token: string): Promise<string>;
  groupsNeedingAnotherAdmin(userId: string): Promise<Array<{ id: string; name: string }>>;
  deleteGroupsOnlyContaining(userId: string): Promise<void>;
  listMine(userId: string): Promise<Array<{ id: string }>>;
}

/** Whole years from the birthday to today (UTC). */
export function ageOn(birthday: string, today: Date): number {
  const [year, month, day] = birthday.split('-').map(Number) as [number, number, number];
  const hadBirthday = today.getUTCMonth() + 1 > month || (today.getUTCMonth() + 1 === month && today.getUTCDate() >= day);
  return today.getUTCFullYear() - year - (hadBirthday ? 0 : 1);
}

function toProfile(user: UserEntity): Profile {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    firstName: user.firstName,
    lastName: user.lastName,
    birthday: user.birthday,
    age: user.birthday ? ageOn(user.birthday, new Date()) : null,
    onboarded: user.onboardedAt !== null,
    settings: { theme: user.theme, locale: user.locale, currency: user.currency, timeZone: user.timeZone },
  };
}

export class UsersService {
  constructor(
    private readonly transactions: Transactions,
    private readonly users: UsersRepository,
    private readonly categories: StartingCategories,
    private readonly groups: GroupMemberships,
    private readonly mailer: Mailer,
    private readonly events: EventPublisher,
    /** Retired for the groups a deleted account leaves (see confirmDeletion). */
    private readonly answers: ScopedAnswers,
    private readonly publicUrl: string,
  ) {}

  /** Within a unit of work acting as `account.id`: the user row and their default categories. */
  async createAccount(account: NewAccount): Promise<void> {
    await this.users.insert(account);
    await this.categories.createDefaults(account.id);
  }

  /** Within a unit of work: the account with this email (any case), if there is one. */
  accountIdByEmail(email: string): Promise<string | undefined> {
    return this.users.idByEmail(email);
  }

  /** Within a unit of work: the account an outside identity is linked to, if any. */
  accountIdByIdentity(provider: string, subject: string): Promise<string | undefined> {
    return this.users.idByIdentity(provider, subject);
  }

  /** Within a unit of work acting as the user: remembers that this outside identity signs them in. */
  async linkIdentity(identity: { userId: string; provider: string; subject: string; email: string }): Promise<void> {
    await this.users.insertIdentity(identity);
  }

  /** Within a unit of work: whether the user finished onboarding (undefined: no such user). */
  async isOnboarded(userId: string): Promise<boolean | undefined> {
    const user = await this.users.find(userId);
    return user ? user.onboardedAt !== null : undefined;
  }

  profile(userId: string): Promise<Profile> {
    return this.transactions.run({ userId }, async () => toProfile(await this.load(userId)));
  }

  update(userId: string, changes: ProfileChanges): Promise<Profile> {
    return this.transactions.run({ userId }, async () => {
      const { settings, ...fields } = changes;
      await this.saveUnique(userId, { ...fields, ...settings });
      return toProfile(await this.load(userId));
    });
  }

  onboard(userId: string, input: OnboardingInput): Promise<{ profile: Profile; groupId: string | null }> {
    return this.transactions.run({ userId }, async () => {
      const user = await this.load(userId);
      if (user.onboardedAt) throw new AlreadyOnboarded();
      const { username, firstName, lastName, birthday, settings } = input;
      await this.saveUnique(userId, { username, firstName, lastName, birthday, ...settings, onboardedAt: new Date() });
      await this.categories.addPersonal(userId, input.extraCategories);
      const groupId = await this.start(userId, input.start, settings.currency ?? user.currency);
      return { profile: toProfile(await this.load(userId)), groupId };
    });
  }

  /** Emails a single-use link that confirms the deletion; refuses early if a group would be left without an admin. */
  requestDeletion(userId: string): Promise<{ expiresAt: Date }> {
    return this.transactions.run({ userId }, async () => {
      const user = await this.load(userId);
      await this.refuseIfSoleAdmin(userId);
      const { token, hash } = createOpaqueToken(userId);
      const expiresAt = new Date(Date.now() + DELETION_LINK_TTL_MS);
      await this.users.insertDeletionRequest({ userId, tokenHash: hash, expiresAt });
      const link = `${this.publicUrl}/account/delete?token=${encodeURIComponent(token)}`;
      await this.mailer.send({
        to: user.email,
        subject: 'Confirm deleting your Spendcast account',
        text: [
          `Hello${user.firstName ? ` ${user.firstName}` : ''},`,
          '',
          'Someone (hopefully you) asked to delete your Spendcast account. To confirm, open this link within 24 hours:',
          '',
          link,
          '',
          'This deletes your profile, your personal bills and your memberships. It cannot be undone.',
          'If you did not ask for this, ignore this message and nothing happens.',
        ].join('\n'),
      });
      return { expiresAt };
    });
  }

  /**
   * Deletes the account the link belongs to: the user row (identities, credentials, refresh tokens,
   * memberships and personal data go with it), groups nobody else is in, and announces `user.deleted`.
   */
  async confirmDeletion(token: string): Promise<void> {
    const parsed = readOpaqueToken(token);
    if (!parsed) throw new DeletionLinkInvalid();
    const userId = parsed.ownerId;
    const leftGroups = await this.transactions.run({ userId }, async () => {
      if (!(await this.users.consumeDeletionRequest(userId, parsed.hash))) throw new DeletionLinkInvalid();
      await this.refuseIfSoleAdmin(userId);
      const groups = await this.groups.listMine(userId);
      await this.groups.deleteGroupsOnlyContaining(userId);
      await this.users.delete(userId);
      await this.events.publish({ scopeKey: userId, payload: { case: 'userDeleted', value: { userId } } });
      return groups;
    });
    // The rollup now counts the account's spending in each group as a former member's: answers cached
    // for that member (a per-member series, say) would show it as still theirs until they expire.
    for (const group of leftGroups) await this.answers.retire({ groupId: group.id, userId: null });
  }

  private async start(userId: string, start: StartMode, currency: string): Promise<string | null> {
    switch (start.mode) {
      case 'single':
        return null;
      case 'join':
        return this.groups.joinWithInvite(userId, start.inviteToken);
      case 'create':
        return this.groups.createGroup(userId, { name: start.groupName, baseCurrency: start.baseCurrency ?? currency });
    }
  }

  private async refuseIfSoleAdmin(userId: string): Promise<void> {
    const groups = await this.groups.groupsNeedingAnotherAdmin(userId);
    if (groups.length > 0) throw new SoleAdminOfGroups(groups);
  }

  private async load(userId: string): Promise<UserEntity> {
    const user = await this.users.find(userId);
    if (!user) throw new UserNotFound();
    return user;
  }

  private async saveUnique(userId: string, changes: Partial<UserEntity>): Promise<void> {
    try {
      await this.users.update(userId, changes);
    } catch (error) {
      if (violatesUnique(error, 'users_username_key')) throw new UsernameTaken();
      throw error;
    }
  }
}
