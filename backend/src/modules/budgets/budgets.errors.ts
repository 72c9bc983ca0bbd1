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
