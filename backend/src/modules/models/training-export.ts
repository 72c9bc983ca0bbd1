// The product's spending as training series, anonymised: the CSV the trainer reads (`--input-csv`:
// series_id,interval,period,amount) carries no user, group or category id or name, only a sequence
// number per series, the month and the amount.

/** Monthly spend of one scope (a group, or a user's personal bills) in one category. */
export interface MonthlySpend {
  /** Group id, or user id for personal bills: only used to tell series apart, never written out. */
  scope: string;
  /** Null for uncategorised bills. */
  category: string | null;
  /** First day of the month, YYYY-MM-DD. */
  month: string;
  /** In minor units of the scope's base currency: the model scales each series, so units do not matter. */
  amountMinor: bigint;
  bills: number;
}

export interface TrainingExport {
  csv: string;
  series: number;
  bills: number;
}

/**
 * Writes one series per scope × category, numbered in the order the rows come (sorted by the caller,
 * so the numbers follow no name). A series that stopped spending before `lastMonth` gets a zero there:
 * the trainer ends a series at its last listed period, and the quiet months are real data.
 */
export function anonymisedSeries(rows: MonthlySpend[], lastMonth: string): TrainingExport {
  const lines = ['series_id,interval,period,amount'];
  const numbers = new Map<string, number>();
  const lastListed = new Map<number, string>();
  let bills = 0;
  for (const row of rows) {
    const key = JSON.stringify([row.scope, row.category]);
    const number = numbers.get(key) ?? numbers.size + 1;
    numbers.set(key, number);
    lines.push(`s${number},month,${row.month},${row.amountMinor}`);
    const listed = lastListed.get(number);
    if (!listed || row.month > listed) lastListed.set(number, row.month);
    bills += row.bills;
  }
  for (const [number, month] of lastListed) if (month < lastMonth) lines.push(`s${number},month,${lastMonth},0`);
  return { csv: `${lines.join('\n')}\n`, series: numbers.size, bills };
}

/** The first day of `instant`'s month (UTC), moved by `months`: `monthStart(now, -1)` is the last complete month. */
export function monthStart(instant: Date, months = 0): string {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth() + months, 1)).toISOString().slice(0, 10);
}
