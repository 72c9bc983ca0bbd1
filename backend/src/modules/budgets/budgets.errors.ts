import { AppError } from '../../platform/http';

export class BudgetNotFound extends AppError {
  readonly code = 'BUDGET_NOT_FOUND';
  readonly status = 404;
  constructor() {
    super('There is no such budget, or you may not see it.');
  }
}

export class BudgetExists extends AppError {
  readonly code = 'BUDGET_EXISTS';
  readonly status = 409;
  constructor() {
    super('This scope already has a budget for that category and period; change that one instead.');
  }
}

export class BudgetCategoryNotUsable extends AppError {
  readonly code = 'CATEGORY_NOT_USABLE';
  readonly status = 422;
  constructor() {
    super('The category does not exist in this budget’s scope (personal categories for personal budgets, group categories for group budgets).');
  }
}

export class InvalidBudgetAmount extends AppError {
  readonly code = 'INVALID_AMOUNT';
  readonly status = 422;
  constructor(currency: string) {
    super(`The amount must be a positive decimal with at most the minor digits of ${currency}.`);
  }
}
