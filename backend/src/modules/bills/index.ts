import { CategoryEntity } from './categories.entity';
import { CreateCategories1795561440000 } from './migrations/1795561440000-CreateCategories';

export { CategoryEntity } from './categories.entity';
export const billsEntities = [CategoryEntity];
export const billsMigrations = [CreateCategories1795561440000];
