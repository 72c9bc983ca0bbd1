import type { ApiRouter } from '../../platform/http';
import { Anomalies, AnomaliesQuery, ForecastQuery, SpendForecast, SpendingQuery, SpendSeries, SpendSummary, SummaryQuery } from './insights.schemas';
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

  api.route({
    method: 'get',
    path: '/api/v1/insights/forecast',
    access: 'onboarded',
    summary: 'Forecast of the coming periods’ spend, with a p10–p90 range, for any bill filter',
    description:
      'Filters mean what they mean for `GET /api/v1/bills`; a member of a group that hides bills gets a forecast of their own bills. ' +
      'Forecasts come from ml-service; when it cannot answer, the reply is still 200, with `available: false`, the reason and the history.',
    tags: ['insights'],
    query: ForecastQuery,
    responses: { 200: { description: 'The forecast, or why there is none, in the scope’s base currency.', schema: SpendForecast }, 404: { description: 'GROUP_NOT_FOUND.' } },
    handler: async ({ actor, query }) => ({ status: 200, body: await insights.forecast(actor.userId, query) }),
  });

  api.route({
    method: 'get',
    path: '/api/v1/insights/anomalies',
    access: 'onboarded',
    summary: 'Bills whose amount is unusual for their category and payee, with the reason',
    description:
      'Judges the bills of the range that match the filters (as for `GET /api/v1/bills`, and only bills you may see) against the bills of the year before. ' +
      'When ml-service cannot answer, the reply is still 200, with `available: false` and the reason.',
    tags: ['insights'],
    query: AnomaliesQuery,
    responses: { 200: { description: 'The unusual bills, or why there is no answer.', schema: Anomalies }, 404: { description: 'GROUP_NOT_FOUND.' } },
    handler: async ({ actor, query }) => ({ status: 200, body: await insights.anomalies(actor.userId, query) }),
  });
}
