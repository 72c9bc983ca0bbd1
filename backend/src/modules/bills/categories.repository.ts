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

  async listVisible(): Promise<Category[]> {
    return this.repository.find({ order: { name: 'ASC' }, select: { id: true, name: true, color: true, icon: true, userId: true, groupId: true } });
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
