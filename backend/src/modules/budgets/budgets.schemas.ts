import { z } from '../../platform/openapi';
import { BUDGET_PERIODS } from './budgets.entity';

const decimal = z.string().regex(/^\d{1,15}(\.\d{1,4})?$/, 'must be a decimal string such as "500.00"');

export const NewBudget = z
  .object({
    groupId: z.uuid().optional().openapi({ description: 'A group you administer; absent: a personal budget.' }),
    categoryId: z.uuid().nullable().optional().openapi({ description: 'Absent or null: all spending of the scope.' }),
    period: z.enum(BUDGET_PERIODS).default('month').openapi({ description: 'Calendar month, or ISO week (Monday to Sunday).' }),
    amount: decimal.openapi({ description: 'In the scope’s base currency.', example: '500.00' }),
  })
  .strict()
  .openapi('NewBudget');

export const BudgetChanges = z
  .object({
    categoryId: z.uuid().nullable().optional().openapi({ description: 'Null: all spending of the scope.' }),
    period: z.enum(BUDGET_PERIODS).optional(),
    amount: decimal.optional(),
  })
  .strict()
  .refine((changes) => Object.keys(changes).length > 0, 'must change something')
  .openapi('BudgetChanges');

export const BudgetQuery = z
  .object({
    groupId: z.uuid().optional().openapi({ description: 'A group you belong to; absent: your personal budgets.' }),
    at: z.iso.date().optional().openapi({ description: 'Show the periods that contain this day; default: today in the budgets’ time zone (the group’s for a group’s budgets, else yours).', example: '2026-03-15' }),
  })
  .strict();

export const Budget = z
  .object({
    id: z.uuid(),
    groupId: z.uuid().nullable(),
    categoryId: z.uuid().nullable(),
    period: z.enum(BUDGET_PERIODS),
    amount: z.string(),
    currency: z.string(),
    periodStart: z.iso.date(),
    periodEnd: z.iso.date(),
    spent: z.string().openapi({ description: 'Spent in the period, by the whole scope (every member of a group).' }),
    remaining: z.string().openapi({ description: 'Negative once over budget.' }),
    percent: z.number().openapi({ description: 'Spent as a percentage of the amount.' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Budget');
