import { z } from '../../platform/openapi';
import { BillQuery } from '../bills';
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
