import type { ApiRouter } from '../../platform/http';
import { SpendingQuery, SpendSeries, SpendSummary, SummaryQuery } from './insights.schemas';
import type { InsightsService } from './insights.service';

export function registerInsightsRoutes(api: ApiRouter, insights: InsightsService): void {
  api.route({
    method: 'get',
    path: '/api/v1/insights/summary',
    access: 'onboarded',
    summary: 'Total spend of a period by category, and the change against the period before',
    description: 'Members of a group that hides bills get their own share and the group’s total.',
    tags: ['insights'],
    query: SummaryQuery,
    responses: { 200: { description: 'The summary, in the scope’s base currency.', schema: SpendSummary }, 404: { description: 'GROUP_NOT_FOUND.' } },
    handler: async ({ actor, query }) => ({ status: 200, body: await insights.summary(actor.userId, query) }),
  });

  api.route({
    method: 'get',
    path: '/api/v1/insights/spending',
    access: 'onboarded',
    summary: 'Spend per day, week or month and per category, for any bill filter',
    description: 'Filters mean what they mean for `GET /api/v1/bills`; days are the bills’ calendar days.',
    tags: ['insights'],
    query: SpendingQuery,
    responses: { 200: { description: 'One series per category and one overall.', schema: SpendSeries }, 404: { description: 'GROUP_NOT_FOUND.' } },
    handler: async ({ actor, query }) => ({ status: 200, body: await insights.spending(actor.userId, query) }),
  });
}
