import { z } from '../../platform/openapi';
import { currencyCode, timeZone } from '../../platform/validation';
import { SPLIT_KINDS } from './bills.entity';

const decimal = z.string().regex(/^\d{1,15}(\.\d{1,4})?$/, 'must be a decimal string such as "12.34"');
const rate = z.string().regex(/^\d{1,12}(\.\d{1,12})?$/, 'must be a decimal string such as "0.8571"');
const tag = z.string().trim().toLowerCase().min(1).max(40);

const Participant = z.object({
  userId: z.uuid(),
  amount: decimal.optional().openapi({ description: 'For exact splits.' }),
  percent: z.string().regex(/^\d{1,3}(\.\d{1,4})?$/).optional().openapi({ description: 'For percentage splits, e.g. "33.3333".' }),
});

export const SplitInput = z.object({ kind: z.enum(SPLIT_KINDS), participants: z.array(Participant).min(1).max(100) }).openapi('SplitInput');

export const NewBill = z
  .object({
    title: z.string().trim().min(1).max(200),
    amount: decimal.openapi({ example: '12.34' }),
    currency: currencyCode.optional().openapi({ description: 'Defaults to the scope’s base currency.' }),
    exchangeRate: rate.optional().openapi({ description: '1 unit of the bill currency in the base currency; looked up in uploaded rates when absent.' }),
    spentAt: z.iso.datetime({ offset: true }).openapi({ example: '2026-11-24T18:30:00+01:00' }),
    timeZone: timeZone.optional().openapi({ description: 'Defaults to your time zone setting.' }),
    categoryId: z.uuid().nullable().optional(),
    tags: z.array(tag).max(20).default([]),
    payee: z.string().trim().max(200).nullable().optional(),
    notes: z.string().max(4000).nullable().optional(),
    groupId: z.uuid().optional().openapi({ description: 'Absent: a personal bill.' }),
    split: SplitInput.nullable().optional(),
  })
  .strict()
  .openapi('NewBill');

export const BillChanges = NewBill.omit({ groupId: true }).partial().strict().openapi('BillChanges');

export const Bill = z
  .object({
    id: z.uuid(),
    groupId: z.uuid().nullable(),
    ownerId: z.uuid().nullable().openapi({ description: 'The owner of a personal bill.' }),
    createdBy: z.uuid().nullable().openapi({ description: 'Null when the creator deleted their account ("deleted user").' }),
    title: z.string(),
    amount: z.string(),
    currency: z.string(),
    exchangeRate: z.string(),
    baseAmount: z.string(),
    baseCurrency: z.string(),
    spentAt: z.iso.datetime(),
    timeZone: z.string(),
    spentOn: z.iso.date(),
    categoryId: z.uuid().nullable(),
    tags: z.array(z.string()),
    payee: z.string().nullable(),
    notes: z.string().nullable(),
    split: z
      .object({ kind: z.enum(SPLIT_KINDS), participants: z.array(z.object({ userId: z.uuid(), amount: z.string(), percent: z.string().nullable() })) })
      .nullable(),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Bill');

export const BILL_SORTS = ['-date', 'date', '-amount', 'amount', 'title', '-title'] as const;

export const BillQuery = z
  .object({
    groupId: z.uuid().optional().openapi({ description: 'A group’s bills (those you may see); absent: your personal bills.' }),
    categoryId: z.uuid().optional(),
    tag: tag.optional(),
    memberId: z.uuid().optional().openapi({ description: 'Group bills created by this member.' }),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    minAmount: decimal.optional().openapi({ description: 'In the base currency.' }),
    maxAmount: decimal.optional(),
    q: z.string().trim().min(1).max(100).optional().openapi({ description: 'Searches title, payee and notes, ignoring case and accents; partial words match.' }),
    sort: z.enum(BILL_SORTS).default('-date'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional(),
  })
  .strict()
  .openapi('BillQuery');

export const BillPage = z
  .object({
    items: z.array(Bill),
    nextCursor: z.string().nullable(),
    total: z.object({ count: z.number().int(), amount: z.string(), currency: z.string() }).openapi({ description: 'Of the whole filtered set, in the base currency.' }),
  })
  .openapi('BillPage');
