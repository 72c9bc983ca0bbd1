import type { Transactions } from '../../platform/database';
import type { CategoriesRepository, Category, NewCategory } from './categories.repository';
import { DuplicateCategory } from './categories.errors';

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

  listVisible(userId: string): Promise<Category[]> {
    return this.transactions.run({ userId }, () => this.categories.listVisible());
  }
}
