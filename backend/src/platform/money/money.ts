import { AppError } from '../http';

/**
 * Money travels as decimal strings ("12.34") and is stored as integer minor units with an ISO 4217
 * code. How many minor digits a currency has comes from ICU (EUR 2, JPY 0, KWD 3).
 */
export function minorDigits(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

/** Building an Intl.NumberFormat costs more than a whole bill insert; there are fewer than 200 codes. */
const digitsByCurrency = new Map<string, number>();

const DECIMAL = /^(\d{1,15})(?:\.(\d+))?$/;

/** Minor units of a positive decimal string, or undefined when it has more decimals than the currency allows. */
export function toMinor(amount: string, currency: string): bigint | undefined {
  const match = DECIMAL.exec(amount);
  if (!match) return undefined;
  const digits = minorDigits(currency);
  const fraction = match[2] ?? '';
  if (fraction.length > digits) return undefined;
  return BigInt(match[1]!) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
}

/** The decimal string of minor units, with exactly the currency's number of decimals. */
export function fromMinor(minor: bigint | string | number, currency: string): string {
  const value = BigInt(minor);
  const digits = minorDigits(currency);
  const sign = value < 0n ? '-' : '';
  const absolute = (value < 0n ? -value : value).toString().padStart(digits + 1, '0');
  return digits === 0 ? `${sign}${absolute}` : `${sign}${absolute.slice(0, -digits)}.${absolute.slice(-digits)}`;
}

/** Minor units as a number of major units (1234n EUR → 12.34), for numeric work such as forecasting models. */
export function toMajorUnits(minor: bigint, currency: string): number {
  return Number(minor) / 10 ** minorDigits(currency);
}

/** A number of major units rounded to the currency's minor units (12.346 EUR → 1235n). */
export function fromMajorUnits(amount: number, currency: string): bigint {
  return BigInt(Math.round(amount * 10 ** minorDigits(currency)));
}

/**
 * Converts minor units of one currency into another at `rate` (1 unit of `from` = rate units of
 * `to`), rounding half away from zero. The rate is a decimal string to avoid float drift.
 */
export function convertMinor(minor: bigint, from: string, to: string, rate: string): bigint {
  const [whole = '0', fraction = ''] = rate.split('.');
  const scale = 10n ** BigInt(fraction.length);
  const rateScaled = BigInt(whole + fraction);
  const numerator = minor * rateScaled * 10n ** BigInt(minorDigits(to));
  const denominator = scale * 10n ** BigInt(minorDigits(from));
  return (numerator * 2n + denominator) / (denominator * 2n);
}

/** Splits `total` into `count` shares that differ by at most one minor unit and sum to `total`. */
export function splitEvenly(total: bigint, count: number): bigint[] {
  const base = total / BigInt(count);
  const remainder = Number(total % BigInt(count));
  return Array.from({ length: count }, (_, index) => base + (index < remainder ? 1n : 0n));
}

export class InvalidAmount extends AppError {
  readonly code = 'INVALID_AMOUNT';
  readonly status = 422;
  constructor(currency: string) {
    super(`The amount must be a positive decimal with at most the minor digits of ${currency}.`);
  }
}
