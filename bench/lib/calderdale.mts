// The real spending the ledger benchmarks replay: Calderdale Council's procurement-card payments
// (../shared/data/calderdale-pcard/, 95,934 rows, Oct 2014 .. Aug 2022, GBP). See bench/README.md
// for how rows become bills.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const CALDERDALE_CSV = path.resolve(import.meta.dirname, '../../../shared/data/calderdale-pcard/calderdale_pcard_2014-10_to_2022-08.csv');

/** One card payment that can be a bill: a positive amount in pence. */
export interface Payment {
  /** Transaction Date, YYYY-MM-DD. */
  day: string;
  supplier: string;
  amountMinor: number;
  merchantCategory: string;
  expenseArea: string;
  expenseType: string;
}

export interface Payments {
  /** In the file's order (by published month). */
  rows: Payment[];
  /** Rows left out: refunds (negative Net Amount) and zero amounts; bills must be positive. */
  skipped: { refunds: number; zero: number };
  /** The newest Transaction Date among the first `count` rows. */
  newestDay(count: number): string;
}

/** RFC 4180: fields separated by commas, optionally quoted, "" is a quote inside quotes, CRLF or LF rows. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field: string;
    if (text[i] === '"') {
      field = '';
      let from = i + 1;
      for (;;) {
        const quote = text.indexOf('"', from);
        if (quote < 0) throw new Error('unterminated quoted field');
        field += text.slice(from, quote);
        if (text[quote + 1] === '"') {
          field += '"';
          from = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
    } else {
      let end = i;
      while (end < text.length && text[end] !== ',' && text[end] !== '\n' && text[end] !== '\r') end++;
      field = text.slice(i, end);
      i = end;
    }
    record.push(field);
    if (text[i] === ',') i++;
    else {
      // end of record (or of the text)
      if (text[i] === '\r' && text[i + 1] === '\n') i++;
      i++;
      records.push(record);
      record = [];
    }
  }
  return records;
}

/** "-12.5" → -1250 pence, exactly (no floating point). */
export function pence(amount: string): number {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount.trim());
  if (!match) throw new Error(`not an amount in pounds: "${amount}"`);
  const minor = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -minor : minor;
}

let cached: Payments | undefined;

export function calderdale(): Payments {
  if (cached) return cached;
  const [header, ...records] = parseCsv(readFileSync(CALDERDALE_CSV, 'utf8')).filter((record) => record.length > 1);
  const column = (name: string) => {
    const index = header!.indexOf(name);
    if (index < 0) throw new Error(`${CALDERDALE_CSV} has no column "${name}"`);
    return index;
  };
  const at = { day: column('Transaction Date'), supplier: column('Supplier Name'), amount: column('Net Amount'), merchant: column('Merchant Category'), area: column('Expense Area'), type: column('Expense Type') };
  const rows: Payment[] = [];
  const skipped = { refunds: 0, zero: 0 };
  for (const record of records) {
    const amountMinor = pence(record[at.amount]!);
    if (amountMinor < 0) skipped.refunds++;
    else if (amountMinor === 0) skipped.zero++;
    else {
      rows.push({
        day: record[at.day]!,
        supplier: record[at.supplier]!.trim(),
        amountMinor,
        merchantCategory: record[at.merchant]!.trim(),
        expenseArea: record[at.area]!.trim(),
        expenseType: record[at.type]!.trim(),
      });
    }
  }
  const newest: string[] = [];
  for (const row of rows) newest.push(newest.length === 0 || row.day > newest.at(-1)! ? row.day : newest.at(-1)!);
  cached = { rows, skipped, newestDay: (count) => newest[Math.min(count, rows.length) - 1]! };
  return cached;
}

/**
 * Expense Type (57 council cost heads) → one of the categories every new group starts with
 * (backend/src/modules/bills/categories.service.ts DEFAULT_CATEGORIES). First match wins; the rest,
 * e.g. "Services" and "Miscellaneous Expenses", go to Other. Eating out and Entertainment stay empty.
 */
const CATEGORY_RULES: Array<[RegExp, string]> = [
  [/^expenses$|public transport/i, 'Travel'], // staff expenses: mostly rail fares and hotels
  [/transport|contract hire|car allowance/i, 'Transport'],
  [/catering|clothing/i, 'Groceries'],
  [/cleaning|repairs|rent and rates|construction|fixtures|building/i, 'Housing'],
  [/equipment|furniture/i, 'Shopping'],
  [/communications|computers|ict|energy|water/i, 'Utilities'],
  [/printing|stationery/i, 'Education'],
  [/social services|independent sector/i, 'Health'],
  [/grant|subscription|contribution|voluntary/i, 'Gifts'],
];

export function categoryOf(expenseType: string): string {
  return CATEGORY_RULES.find(([pattern]) => pattern.test(expenseType))?.[1] ?? 'Other';
}
