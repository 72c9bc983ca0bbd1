import { BillEntity, BillParticipantEntity, ExchangeRateEntity } from './bills.entity';
import { CategoryEntity } from './categories.entity';
import { CreateBills1795561560000 } from './migrations/1795561560000-CreateBills';
import { CreateCategories1795561440000 } from './migrations/1795561440000-CreateCategories';

export { CategoryEntity } from './categories.entity';
export { BillsRepository } from './bills.repository';
export { registerBillsRoutes } from './bills.routes';
export { BillsService, type BillChange, type BillChangeListener } from './bills.service';
export { CategoriesRepository } from './categories.repository';
export { registerCategoriesRoutes } from './categories.routes';
export { CategoriesService, DEFAULT_CATEGORIES } from './categories.service';
export const billsEntities = [CategoryEntity, BillEntity, BillParticipantEntity, ExchangeRateEntity];
export const billsMigrations = [CreateCategories1795561440000, CreateBills1795561560000];
