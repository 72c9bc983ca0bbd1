import type { UnitOfWork } from '../../platform/database';
import { CategoryEntity } from './categories.entity';

export interface NewCategory {
  name: string;
  color: string;
  icon: string;
}

export type Category = Pick<CategoryEntity, 'id' | 'name' | 'color' | 'icon' | 'userId' | 'groupId'>;

export class CategoriesRepository {
  constructor(private readonly transactions: UnitOfWork) {}

  private get repository() {
    return this.transactions.manager().getRepository(CategoryEntity);
  }

  async insertForUser(userId: string, categories: NewCategory[]): Promise<void> {
    if (categories.length === 0) return;
    await this.repository.insert(categories.map((category) => ({ ...category, userId })));
  }

  async insertForGroup(groupId: string, categories: NewCategory[]): Promise<void> {
    await this.repository.insert(categories.map((category) => ({ ...category, groupId })));
  }

  async listVisible(groupId?: string): Promise<Category[]> {
    return this.repository.find({
      where: groupId ? { groupId } : undefined,
      order: { name: 'ASC' },
      select: { id: true, name: true, color: true, icon: true, userId: true, groupId: true },
    });
  }

  async find(id: string): Promise<Category | null> {
    return this.repository.findOne({ where: { id }, select: { id: true, name: true, color: true, icon: true, userId: true, groupId: true } });
  }

  async insert(category: NewCategory & { id: string; userId: string | null; groupId: string | null }): Promise<void> {
    await this.repository.insert(category);
  }

  /** Changes the category if row-level security lets the current user; false otherwise. */
  async update(id: string, changes: Partial<NewCategory>): Promise<boolean> {
    return ((await this.repository.update({ id }, changes)).affected ?? 0) > 0;
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.repository.delete({ id })).affected ?? 0) > 0;
  }

  /** How many bills use the category (all of them: categories are deleted by those who see every bill of the scope). */
  async billCount(id: string): Promise<number> {
    const [row] = await this.transactions.manager().query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM bills WHERE category_id = $1', [id]);
    return row?.n ?? 0;
  }

  /** Moves the bills and returns the days they were spent on. */
  async moveBills(from: string, to: string | null): Promise<string[]> {
    const [rows] = await this.transactions
      .manager()
      .query<[Array<{ spent_on: string }>, number]>('UPDATE bills SET category_id = $2, version = version + 1, updated_at = now() WHERE category_id = $1 RETURNING spent_on::text', [from, to]);
    return [...new Set(rows.map((row) => row.spent_on))];
  }

  async isGroupAdmin(groupId: string, userId: string): Promise<boolean> {
    const rows = await this.transactions.manager().query<unknown[]>(`SELECT 1 FROM memberships WHERE group_id = $1 AND user_id = $2 AND role = 'admin'`, [groupId, userId]);
    return rows.length > 0;
  }

  async isGroupMember(groupId: string, userId: string): Promise<boolean> {
    const rows = await this.transactions.manager().query<unknown[]>(`SELECT 1 FROM memberships WHERE group_id = $1 AND user_id = $2`, [groupId, userId]);
    return rows.length > 0;
  }

  async existingNamesForUser(userId: string, names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const rows = await this.repository
      .createQueryBuilder('category')
      .select('category.name', 'name')
      .where('category.user_id = :userId AND category.name = ANY(:names::citext[])', { userId, names })
      .getRawMany<{ name: string }>();
    return rows.map((row) => row.name);
  }
}
