import { CategoryEntity } from './categories.entity';
import { CreateCategories1795561440000 } from './migrations/1795561440000-CreateCategories';

export { CategoryEntity } from './categories.entity';
export { CategoriesRepository } from './categories.repository';
export { registerCategoriesRoutes } from './categories.routes';
export { CategoriesService, DEFAULT_CATEGORIES } from './categories.service';
export const billsEntities = [CategoryEntity];
export const billsMigrations = [CreateCategories1795561440000];
