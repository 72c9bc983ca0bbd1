import { z } from '../openapi';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
const TIME_ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);

/** An ISO 4217 code this runtime knows, e.g. EUR. */
export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
  // Only codes of the right shape get the second message, so each field reports one problem.
  .refine((code) => !/^[A-Z]{3}$/.test(code) || CURRENCIES.has(code), 'is not an ISO 4217 currency')
  .openapi({ example: 'EUR' });

/** An IANA time zone, e.g. Europe/Berlin. */
export const timeZone = z
  .string()
  .refine((zone) => TIME_ZONES.has(zone), 'is not an IANA time zone such as Europe/Berlin')
  .openapi({ example: 'Europe/Berlin' });

/** A BCP 47 language tag, e.g. en-GB. */
export const locale = z
  .string()
  .min(2)
  .max(35)
  .refine((tag) => {
    try {
      return Intl.getCanonicalLocales(tag).length === 1;
    } catch {
      return false;
    }
  }, 'is not a BCP 47 language tag such as en-GB')
  .openapi({ example: 'en-GB' });

/** A calendar date, YYYY-MM-DD. */
export const isoDate = z.iso.date().openapi({ example: '1990-04-01' });

export const uuid = z.uuid();

/** Lower-case hex colour, e.g. #43a047. */
export const hexColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a hex colour such as #43a047');
