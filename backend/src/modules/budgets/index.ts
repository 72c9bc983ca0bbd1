import { BudgetAlertEntity, BudgetEntity } from './budgets.entity';
import { CreateBudgets1795561680000 } from './migrations/1795561680000-CreateBudgets';
import { BudgetsAffectedBy1795561900000 } from './migrations/1795561900000-BudgetsAffectedBy';

export { BUDGET_PERIODS, BudgetAlertEntity, BudgetEntity, type BudgetPeriod } from './budgets.entity';
export { BudgetsRepository } from './budgets.repository';
export { registerBudgetsRoutes } from './budgets.routes';
export { BudgetsService } from './budgets.service';
export const budgetsEntities = [BudgetEntity, BudgetAlertEntity];
export const budgetsMigrations = [CreateBudgets1795561680000, BudgetsAffectedBy1795561900000];
