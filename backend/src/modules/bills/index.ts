import { BillEntity, BillParticipantEntity, ExchangeRateEntity } from './bills.entity';
import { CategoryEntity } from './categories.entity';
import { CreateBills1795561560000 } from './migrations/1795561560000-CreateBills';
import { CreateCategories1795561440000 } from './migrations/1795561440000-CreateCategories';

export { CategoryEntity } from './categories.entity';
export { BillEntity } from './bills.entity';
export { applyFilter as applyBillFilter, BillsRepository, type BillFilter } from './bills.repository';
export { registerBillsRoutes } from './bills.routes';
export { BillQuery } from './bills.schemas';
export { BillsService, type BillChange, type BillChangeListener } from './bills.service';
export { CategoriesRepository } from './categories.repository';
export { ExchangeRatesRepository } from './exchange-rates.repository';
export { registerExchangeRateRoutes } from './exchange-rates.routes';
export { ExchangeRatesService } from './exchange-rates.service';
export { registerCategoriesRoutes } from './categories.routes';
export { CategoriesService, DEFAULT_CATEGORIES } from './categories.service';
export const billsEntities = [CategoryEntity, BillEntity, BillParticipantEntity, ExchangeRateEntity];
export const billsMigrations = [CreateCategories1795561440000, CreateBills1795561560000];
