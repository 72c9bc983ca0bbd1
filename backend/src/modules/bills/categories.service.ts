import { randomUUID } from 'node:crypto';
import { violatesUnique, type Transactions } from '../../platform/database';
import type { BillChange, BillChangeListener } from './bills.service';
import type { CategoriesRepository, Category, NewCategory } from './categories.repository';
import { CategoryChangeNotAllowed, CategoryInUse, CategoryNotFound, DuplicateCategory, MoveTargetInvalid } from './categories.errors';

const UNIQUE_NAME_INDEXES = ['categories_user_name_key', 'categories_group_name_key'];

/** Where the bills of a deleted category go: another category of the same scope, or none. */
export type MoveTo = { categoryId: string } | 'uncategorised';

/** What every new user starts with; colours are distinct in light and dark themes. */
export const DEFAULT_CATEGORIES: NewCategory[] = [
  { name: 'Groceries', color: '#43a047', icon: 'cart-outline' },
  { name: 'Eating out', color: '#fb8c00', icon: 'restaurant-outline' },
  { name: 'Housing', color: '#5e35b1', icon: 'home-outline' },
  { name: 'Utilities', color: '#00897b', icon: 'flash-outline' },
  { name: 'Transport', color: '#1e88e5', icon: 'bus-outline' },
  { name: 'Health', color: '#e53935', icon: 'medkit-outline' },
  { name: 'Shopping', color: '#d81b60', icon: 'bag-handle-outline' },
  { name: 'Entertainment', color: '#8e24aa', icon: 'film-outline' },
  { name: 'Travel', color: '#039be5', icon: 'airplane-outline' },
  { name: 'Education', color: '#6d4c41', icon: 'school-outline' },
  { name: 'Gifts', color: '#c0ca33', icon: 'gift-outline' },
  { name: 'Other', color: '#757575', icon: 'ellipsis-horizontal-circle-outline' },
];

export class CategoriesService {
  constructor(
    private readonly transactions: Transactions,
    private readonly categories: CategoriesRepository,
    /** Told when deleting a category moves bills, like bill changes are. */
    private readonly listeners: BillChangeListener[] = [],
  ) {}

  /** Within the caller's unit of work: every new user starts with the defaults. */
  async createDefaults(userId: string): Promise<void> {
    await this.categories.insertForUser(userId, DEFAULT_CATEGORIES);
  }

  /** Within the caller's unit of work: a new group starts with the same defaults. */
  async createGroupDefaults(groupId: string): Promise<void> {
    await this.categories.insertForGroup(groupId, DEFAULT_CATEGORIES);
  }

  /** Within the caller's unit of work: adds personal categories, refusing names the user has already (any case). */
  async addPersonal(userId: string, extra: NewCategory[]): Promise<void> {
    const names = extra.map((category) => category.name.toLowerCase());
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    const [taken] = await this.categories.existingNamesForUser(userId, names);
    if (repeated ?? taken) throw new DuplicateCategory(repeated ?? taken!);
    await this.categories.insertForUser(userId, extra);
  }

  listVisible(userId: string, groupId?: string): Promise<Category[]> {
    return this.transactions.run({ userId }, async () => {
      if (groupId && !(await this.categories.isGroupMember(groupId, userId))) throw new CategoryNotFound();
      return this.categories.listVisible(groupId);
    });
  }

  /** A personal category, or a group category (group admins only). */
  create(userId: string, input: NewCategory & { groupId?: string }): Promise<Category> {
    return this.transactions.run({ userId }, async () => {
      const { groupId, ...fields } = input;
      if (groupId) await this.assertGroupAdmin(groupId, userId);
      const id = randomUUID();
      await this.uniquely(fields.name, () => this.categories.insert({ ...fields, id, userId: groupId ? null : userId, groupId: groupId ?? null }));
      return (await this.categories.find(id))!;
    });
  }

  update(userId: string, id: string, changes: Partial<NewCategory>): Promise<Category> {
    return this.transactions.run({ userId }, async () => {
      const category = await this.changeable(userId, id);
      await this.uniquely(changes.name ?? category.name, () => this.categories.update(id, changes));
      return (await this.categories.find(id))!;
    });
  }

  /** Deletes a category; when bills use it, `moveTo` must say where they go. */
  async delete(userId: string, id: string, moveTo: MoveTo | undefined): Promise<void> {
    const change = await this.transactions.run({ userId }, async (): Promise<BillChange | undefined> => {
      const category = await this.changeable(userId, id);
      const inUse = await this.categories.billCount(id);
      let moved: BillChange | undefined;
      if (inUse > 0) {
        if (!moveTo) throw new CategoryInUse(inUse);
        const target = moveTo === 'uncategorised' ? null : await this.categories.find(moveTo.categoryId);
        const sameScope = target === null || (target.id !== id && target.userId === category.userId && target.groupId === category.groupId);
        if (moveTo !== 'uncategorised' && (!target || !sameScope)) throw new MoveTargetInvalid();
        const days = await this.categories.moveBills(id, target?.id ?? null);
        moved = { groupId: category.groupId, userId: category.userId, categoryIds: [id, target?.id ?? null], days };
        for (const listener of this.listeners) await listener.withinTransaction?.(moved);
      }
      await this.categories.delete(id);
      return moved;
    });
    if (change) for (const listener of this.listeners) await listener.afterCommit?.(change);
  }

  private async changeable(userId: string, id: string): Promise<Category> {
    const category = await this.categories.find(id);
    if (!category) throw new CategoryNotFound();
    if (category.groupId) await this.assertGroupAdmin(category.groupId, userId);
    return category;
  }

  private async assertGroupAdmin(groupId: string, userId: string): Promise<void> {
    if (await this.categories.isGroupAdmin(groupId, userId)) return;
    throw (await this.categories.isGroupMember(groupId, userId)) ? new CategoryChangeNotAllowed() : new CategoryNotFound();
  }

  private async uniquely(name: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (UNIQUE_NAME_INDEXES.some((index) => violatesUnique(error, index))) throw new DuplicateCategory(name);
      throw error;
    }
  }
}
