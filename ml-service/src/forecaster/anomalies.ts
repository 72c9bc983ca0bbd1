// Flags bills whose amount is unusual for their category and payee, judged against the other bills
// of the same request, with a reason a person can check. Robust statistics (median and median
// absolute deviation) so one huge bill does not hide itself by inflating the mean and deviation.

export interface Bill {
  id: string;
  /** Major units of one currency. */
  amount: number;
  categoryId: string;
  /** Used in reasons. */
  categoryName: string;
  /** Empty when unknown. */
  payee: string;
}

export interface AnomalyVerdict {
  id: string;
  /** |amount − median| / spread of the peers; 0 when there are too few peers to judge. */
  score: number;
  anomalous: boolean;
  reason: string;
}

/** Iglewicz and Hoaglin's cut-off for the modified z-score. */
export const ANOMALY_THRESHOLD = 3.5;
/** Fewer other bills than this and a median says little: the bill is compared with a wider group or not at all. */
const MIN_PEERS = 4;
/** A payee's first bill is flagged from this multiple of its category's median: a new payee asking a lot is worth a look. */
const NEW_PAYEE_MULTIPLE = 3;
/** Scales the MAD to a standard deviation for normally distributed amounts. */
const MAD_TO_SIGMA = 1.4826;
/**
 * The spread is at least this share of the median: a subscription billed the same amount every time
 * has a MAD of 0, which would make a one-cent change infinitely unusual.
 */
const MIN_RELATIVE_SPREAD = 0.05;
/** …and at least one cent, for groups of zero amounts. */
const MIN_SPREAD = 0.01;

interface Group {
  /** Every amount of the group, the judged bill's included, ascending. */
  sorted: number[];
  /** MAD × 1.4826 over the whole group, floored; one bill barely moves it. */
  spread: number;
}

interface Peers {
  count: number;
  /** Median of the other bills: exact, as the reason quotes it. */
  median: number;
  spread: number;
}

export function scoreAnomalies(bills: Bill[]): AnomalyVerdict[] {
  const byCategory = groups(bills, (bill) => bill.categoryId);
  const byPayee = groups(
    bills.filter((bill) => bill.payee),
    payeeKey,
  );
  return bills.map((bill) => {
    const category = peersOf(bill, byCategory.get(bill.categoryId)!);
    const payeeGroup = bill.payee ? byPayee.get(payeeKey(bill)) : undefined;
    const payee = payeeGroup && peersOf(bill, payeeGroup);
    if (payee && payee.count >= MIN_PEERS) return judge(bill, payee, `bills to ${bill.payee} in ${bill.categoryName}`);
    if (category.count < MIN_PEERS) {
      return verdict(bill, 0, false, `too few ${bill.categoryName} bills to compare with: ${category.count} other, ${MIN_PEERS} needed`);
    }
    const result = judge(bill, category, `${bill.categoryName} bills`);
    if (payee?.count === 0 && category.median > 0 && bill.amount >= NEW_PAYEE_MULTIPLE * category.median) {
      return { ...result, anomalous: true, reason: `first bill to ${bill.payee}: ${describe(bill.amount, category, `${bill.categoryName} bills`)}` };
    }
    return result;
  });
}

function judge(bill: Bill, peers: Peers, what: string): AnomalyVerdict {
  const score = Math.abs(bill.amount - peers.median) / peers.spread;
  if (score < ANOMALY_THRESHOLD) return verdict(bill, score, false, `in line with ${peers.count} other ${what} (median ${money(peers.median)})`);
  return verdict(bill, score, true, describe(bill.amount, peers, what));
}

function describe(amount: number, peers: Peers, what: string): string {
  const others = `the median (${money(peers.median)}) of ${peers.count} other ${what}`;
  if (amount < peers.median) return `${money(amount)} is far below ${others}`;
  return peers.median > 0 ? `${money(amount)} is ${(amount / peers.median).toFixed(1)}× ${others}` : `${money(amount)} is far above ${others}`;
}

function verdict(bill: Bill, score: number, anomalous: boolean, reason: string): AnomalyVerdict {
  return { id: bill.id, score: Math.round(score * 100) / 100, anomalous, reason };
}

/** Payees are typed by people: "Tesco" and "tesco " are the same shop. */
function payeeKey(bill: Bill): string {
  return `${bill.categoryId}\u0000${bill.payee.trim().toLowerCase()}`;
}

/**
 * Sorted amounts and spread per group, computed once so a large request stays n·log n. Leaving the
 * judged bill out of the spread too would cost a pass over the group per bill.
 */
function groups(bills: Bill[], keyOf: (bill: Bill) => string): Map<string, Group> {
  const amounts = new Map<string, number[]>();
  for (const bill of bills) {
    const key = keyOf(bill);
    const list = amounts.get(key);
    if (list) list.push(bill.amount);
    else amounts.set(key, [bill.amount]);
  }
  const result = new Map<string, Group>();
  for (const [key, values] of amounts) {
    const sorted = values.sort((a, b) => a - b);
    const center = median(sorted);
    const mad = median(sorted.map((value) => Math.abs(value - center)).sort((a, b) => a - b));
    result.set(key, { sorted, spread: Math.max(MAD_TO_SIGMA * mad, MIN_RELATIVE_SPREAD * center, MIN_SPREAD) });
  }
  return result;
}

/** The group seen from one of its bills: the others' count and median (one occurrence of its amount left out). */
function peersOf(bill: Bill, group: Group): Peers {
  const { sorted } = group;
  const skipped = lowerBound(sorted, bill.amount);
  const count = sorted.length - 1;
  const at = (index: number) => sorted[index < skipped ? index : index + 1]!;
  const median = count === 0 ? Number.NaN : count % 2 === 1 ? at(count >> 1) : (at(count / 2 - 1) + at(count / 2)) / 2;
  return { count, median, spread: group.spread };
}

function median(sorted: number[]): number {
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Index of the first value ≥ `value` in an ascending array. */
function lowerBound(sorted: number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function money(amount: number): string {
  return amount.toFixed(2);
}
