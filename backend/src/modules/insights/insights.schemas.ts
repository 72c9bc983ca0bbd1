import { ML_UNAVAILABLE_REASONS } from '../../platform/ml';
import { z } from '../../platform/openapi';
import { BillQuery } from '../bills';
import { FORECAST_INTERVALS, MAX_HORIZON, MAX_JUDGED, NO_HISTORY } from './insights.service';
import { INTERVALS } from './periods';

// Bounded so a previous period or a series end computed from it stays a real date.
const day = z.iso.date().refine((date) => date >= '1900-01-01' && date <= '2999-12-31', 'must be between 1900-01-01 and 2999-12-31');
const money = z.string().openapi({ description: 'A decimal amount in the scope’s base currency.', example: '123.45' });

const fromNotAfterTo = (query: { from?: string; to?: string }) => !query.from || !query.to || query.from <= query.to;
const rangeProblem = { message: 'must not be before from', path: ['to'] };

export const SummaryQuery = z
  .object({
    groupId: z.uuid().optional().openapi({ description: 'A group you belong to; absent: your personal spending.' }),
    from: day.optional().openapi({ description: 'First day (inclusive). With `to` absent: from this day to today. Both absent: the current month.', example: '2026-03-01' }),
    to: day.optional().openapi({ description: 'Last day (inclusive).', example: '2026-03-31' }),
  })
  .strict()
  .refine(fromNotAfterTo, rangeProblem);

export const SpendingQuery = BillQuery.pick({ groupId: true, categoryId: true, tag: true, memberId: true, q: true, minAmount: true, maxAmount: true })
  .extend({
    from: day.optional().openapi({ description: 'First day (inclusive); defaults to the start of the 30 days, 12 weeks or 12 months up to `to`.', example: '2026-01-01' }),
    to: day.optional().openapi({ description: 'Last day (inclusive); defaults to today in your time zone.', example: '2026-12-31' }),
    interval: z.enum(INTERVALS).default('month').openapi({ description: 'Weeks start on Monday (ISO).' }),
  })
  .strict()
  .refine(fromNotAfterTo, rangeProblem);

const billFilters = BillQuery.pick({ groupId: true, categoryId: true, tag: true, memberId: true, q: true });

export const ForecastQuery = billFilters
  .extend({
    interval: z.enum(FORECAST_INTERVALS).default('month').openapi({ description: 'Weeks start on Monday (ISO).' }),
    horizon: z.coerce.number().int().min(1).max(MAX_HORIZON).default(3).openapi({ description: 'How many periods to forecast, the current one first.' }),
  })
  .strict();

export const AnomaliesQuery = billFilters
  .extend({
    from: day.optional().openapi({ description: 'First day (inclusive) of the bills to judge; defaults to 30 days before `to`.', example: '2026-03-01' }),
    to: day.optional().openapi({ description: 'Last day (inclusive); defaults to today in your time zone.', example: '2026-03-31' }),
    limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ description: 'The most unusual bills returned.' }),
  })
  .strict()
  .refine(fromNotAfterTo, rangeProblem);

const visibility = z.enum(['all', 'own']).openapi({ description: '`own`: you are a member of a group that hides bills and see your own share.' });

export const SpendSummary = z
  .object({
    groupId: z.uuid().nullable(),
    currency: z.string(),
    visibility,
    from: day,
    to: day,
    total: money,
    count: z.number().int(),
    byCategory: z.array(z.object({ categoryId: z.uuid().nullable(), amount: money, count: z.number().int(), previousAmount: money })),
    previous: z.object({ from: day, to: day, total: money, count: z.number().int() }).openapi({
      description: 'The period of the same length just before: the same number of whole months when the period is whole months, else as many days.',
    }),
    change: z.object({ amount: money, percent: z.number().nullable().openapi({ description: 'Null when the previous total is 0.' }) }),
    groupTotal: z
      .object({ total: money, previousTotal: money })
      .nullable()
      .openapi({ description: 'The whole group’s spending, for members who see only their own bills.' }),
  })
  .openapi('SpendSummary');

const SeriesPoint = z.object({ start: day.openapi({ description: 'The first day of the period.' }), amount: money, count: z.number().int() });

export const SpendSeries = z
  .object({
    groupId: z.uuid().nullable(),
    currency: z.string(),
    visibility,
    interval: z.enum(INTERVALS),
    from: day,
    to: day,
    periods: z.array(day).openapi({ description: 'The start of every period in the range; each series has one point per period.' }),
    total: z.object({ amount: money, count: z.number().int(), series: z.array(SeriesPoint) }),
    categories: z.array(z.object({ categoryId: z.uuid().nullable(), amount: money, count: z.number().int(), series: z.array(SeriesPoint) })),
  })
  .openapi('SpendSeries');

const unavailable = {
  available: z.literal(false),
  message: z.string().openapi({ description: 'What happened, for people.' }),
};
const mlReason = z.enum(ML_UNAVAILABLE_REASONS);
const mlReasons =
  '`NOT_CONFIGURED`: the server has no ml-service; `UNAVAILABLE`: ml-service is down or failed; `TIMEOUT`: it did not answer in time; ' +
  '`CIRCUIT_OPEN`: it failed repeatedly just now, so it is left alone for a few seconds.';

const forecastCommon = {
  groupId: z.uuid().nullable(),
  currency: z.string(),
  visibility,
  interval: z.enum(FORECAST_INTERVALS),
  horizon: z.number().int(),
  history: z.array(SeriesPoint).openapi({
    description: 'What the forecast is made from: the complete periods before the current one, oldest first, from the first with spending (at most 3 years).',
  }),
};

export const SpendForecast = z
  .union([
    z
      .object({
        ...forecastCommon,
        available: z.literal(true),
        model: z.object({ name: z.string(), version: z.string() }).openapi({ description: 'The model ml-service ran (also when it chose a fallback).' }),
        method: z.enum(['model', 'fallback']).openapi({ description: '`fallback` when the history is too short for the model.' }),
        fallback: z.string().nullable().openapi({ description: 'The fallback method, e.g. `recent-mean`; null with the model.' }),
        periods: z
          .array(z.object({ start: day.openapi({ description: 'The first day of the period.' }), p10: money, p50: money, p90: money }))
          .openapi({ description: '`horizon` periods from the current one: the median forecast and the range that holds the actual amount 8 times in 10.' }),
      })
      .openapi('SpendForecastAvailable'),
    z
      .object({
        ...forecastCommon,
        ...unavailable,
        reason: z.enum([...ML_UNAVAILABLE_REASONS, NO_HISTORY]).openapi({ description: `Why there is no forecast. \`${NO_HISTORY}\`: no spending to forecast from; ${mlReasons}` }),
      })
      .openapi('SpendForecastUnavailable'),
  ])
  .openapi('SpendForecast', { description: 'A forecast when `available`; otherwise why not. Either way the history.' });

const anomaliesCommon = { groupId: z.uuid().nullable(), currency: z.string(), visibility, from: day, to: day };

export const Anomalies = z
  .union([
    z
      .object({
        ...anomaliesCommon,
        available: z.literal(true),
        judged: z.number().int().openapi({ description: `How many bills of the range were judged (the newest ${MAX_JUDGED} at most).` }),
        items: z.array(
          z.object({
            billId: z.uuid(),
            title: z.string(),
            spentOn: day,
            amount: money,
            categoryId: z.uuid().nullable(),
            payee: z.string().nullable(),
            score: z.number().openapi({ description: 'How far the amount is from its peers’ median, in robust standard deviations.' }),
            reason: z.string().openapi({ example: '450.00 is 45.0× the median (10.00) of 20 other Groceries bills' }),
          }),
        ).openapi({ description: 'The unusual bills, most unusual first; each is compared with the other bills of its category (and payee) of the year before.' }),
      })
      .openapi('AnomaliesAvailable'),
    z
      .object({ ...anomaliesCommon, ...unavailable, reason: mlReason.openapi({ description: `Why there is no answer: ${mlReasons}` }) })
      .openapi('AnomaliesUnavailable'),
  ])
  .openapi('Anomalies', { description: 'The unusual bills when `available`; otherwise why there is no answer.' });
