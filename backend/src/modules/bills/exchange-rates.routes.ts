import type { ApiRouter } from '../../platform/http';
import { z } from '../../platform/openapi';
import { currencyCode, isoDate } from '../../platform/validation';
import type { ExchangeRatesService } from './exchange-rates.service';

const RateSchema = z.object({ currency: currencyCode, validOn: isoDate, rate: z.string().regex(/^\d{1,12}(\.\d{1,12})?$/, 'must be a positive decimal string').refine((value) => Number(value) > 0, 'must be positive') });
const Rates = z.object({ items: z.array(RateSchema.extend({ baseCurrency: z.string() })) }).openapi('ExchangeRates');

export function registerExchangeRateRoutes(api: ApiRouter, service: ExchangeRatesService): void {
  api.route({
    method: 'put',
    path: '/api/v1/exchange-rates',
    access: 'onboarded',
    summary: 'Upload conversion rates into your base currency (or a group’s: admins)',
    description: 'Each rate means 1 `currency` = `rate` units of the base currency from `validOn` on; a bill uses the newest rate on or before its day. Re-uploading a day replaces it.',
    tags: ['bills'],
    query: z.object({ groupId: z.uuid().optional() }).strict(),
    body: z.object({ rates: z.array(RateSchema).min(1).max(5000) }).strict().openapi('ExchangeRateUpload'),
    responses: { 200: { description: 'All rates of the scope now.', schema: Rates }, 403: { description: 'Group admins only.' }, 404: { description: 'GROUP_NOT_FOUND.' } },
    handler: async ({ actor, query, body }) => ({ status: 200, body: { items: await service.upload(actor.userId, query.groupId, body.rates) } }),
  });

  api.route({
    method: 'get',
    path: '/api/v1/exchange-rates',
    access: 'onboarded',
    summary: 'The uploaded rates of your personal scope or a group',
    tags: ['bills'],
    query: z.object({ groupId: z.uuid().optional() }).strict(),
    responses: { 200: { description: 'Rates.', schema: Rates }, 404: { description: 'GROUP_NOT_FOUND.' } },
    handler: async ({ actor, query }) => ({ status: 200, body: { items: await service.list(actor.userId, query.groupId) } }),
  });
}
