import type { ApiRouter } from '../../platform/http';
import { z } from '../../platform/openapi';
import { Budget, BudgetChanges, BudgetQuery, NewBudget } from './budgets.schemas';
import type { BudgetsService } from './budgets.service';

const BudgetId = z.object({ id: z.uuid() });

export function registerBudgetsRoutes(api: ApiRouter, budgets: BudgetsService): void {
  api.route({
    method: 'get',
    path: '/api/v1/budgets',
    access: 'onboarded',
    summary: 'Budgets of a scope with spent against each for the current (or another) period',
    tags: ['budgets'],
    query: BudgetQuery,
    responses: { 200: { description: 'The budgets.', schema: z.object({ items: z.array(Budget) }) }, 404: { description: 'GROUP_NOT_FOUND.' } },
    handler: async ({ actor, query }) => ({ status: 200, body: { items: await budgets.list(actor.userId, query) } }),
  });

  api.route({
    method: 'post',
    path: '/api/v1/budgets',
    access: 'onboarded',
    summary: 'Create a budget (personal, or for a group you administer)',
    description: 'Crossing 80 % and 100 % of it in a period raises a `budget.threshold_crossed` event, once each per period.',
    tags: ['budgets'],
    body: NewBudget,
    responses: {
      201: { description: 'Created.', schema: Budget },
      403: { description: 'NOT_GROUP_ADMIN.' },
      404: { description: 'GROUP_NOT_FOUND.' },
      409: { description: 'BUDGET_EXISTS: the scope has a budget for that category and period.' },
      422: { description: 'CATEGORY_NOT_USABLE or INVALID_AMOUNT.' },
    },
    handler: async ({ actor, body }) => {
      const budget = await budgets.create(actor.userId, body);
      return { status: 201, body: budget, headers: { Location: `/api/v1/budgets/${budget.id}` } };
    },
  });

  api.route({
    method: 'patch',
    path: '/api/v1/budgets/:id',
    access: 'onboarded',
    summary: 'Change a budget',
    tags: ['budgets'],
    params: BudgetId,
    body: BudgetChanges,
    responses: {
      200: { description: 'The changed budget.', schema: Budget },
      403: { description: 'NOT_GROUP_ADMIN.' },
      404: { description: 'BUDGET_NOT_FOUND.' },
      409: { description: 'BUDGET_EXISTS.' },
      422: { description: 'CATEGORY_NOT_USABLE or INVALID_AMOUNT.' },
    },
    handler: async ({ actor, params, body }) => ({ status: 200, body: await budgets.update(actor.userId, params.id, body) }),
  });

  api.route({
    method: 'delete',
    path: '/api/v1/budgets/:id',
    access: 'onboarded',
    summary: 'Delete a budget',
    tags: ['budgets'],
    params: BudgetId,
    responses: { 204: { description: 'Deleted.' }, 403: { description: 'NOT_GROUP_ADMIN.' }, 404: { description: 'BUDGET_NOT_FOUND.' } },
    handler: async ({ actor, params }) => {
      await budgets.delete(actor.userId, params.id);
      return { status: 204 };
    },
  });
}
