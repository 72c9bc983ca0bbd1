import { splitEvenly } from '../../platform/money';
import type { SplitKind } from './bills.entity';

export interface SplitRequest {
  kind: SplitKind;
  participants: Array<{ userId: string; amountMinor?: bigint; percent?: string }>;
}

export interface Share {
  userId: string;
  shareMinor: bigint;
  percent: string | null;
}

export type SplitOutcome = { ok: true; shares: Share[] } | { ok: false; problem: string };

const HUNDRED_PERCENT_SCALED = 1_000_000n; // percentages carry four decimals: 100.0000

function scaledPercent(percent: string): bigint | undefined {
  const match = /^(\d{1,3})(?:\.(\d{1,4}))?$/.exec(percent);
  return match ? BigInt(match[1]!) * 10_000n + BigInt((match[2] ?? '').padEnd(4, '0')) : undefined;
}

/**
 * Each participant's share of `totalMinor`, summing exactly to it. Equal and percentage splits
 * hand out the leftover minor units one by one (largest remainder first), so nothing is lost.
 */
export function computeShares(totalMinor: bigint, request: SplitRequest): SplitOutcome {
  const people = request.participants;
  if (people.length === 0) return { ok: false, problem: 'a split needs at least one participant' };
  if (new Set(people.map((person) => person.userId)).size !== people.length) return { ok: false, problem: 'each participant may appear once' };

  switch (request.kind) {
    case 'equal': {
      const shares = splitEvenly(totalMinor, people.length);
      return { ok: true, shares: people.map((person, index) => ({ userId: person.userId, shareMinor: shares[index]!, percent: null })) };
    }
    case 'exact': {
      if (people.some((person) => person.amountMinor === undefined)) return { ok: false, problem: 'an exact split gives every participant an amount' };
      const sum = people.reduce((total, person) => total + person.amountMinor!, 0n);
      if (sum !== totalMinor) return { ok: false, problem: 'the exact amounts must add up to the bill amount' };
      return { ok: true, shares: people.map((person) => ({ userId: person.userId, shareMinor: person.amountMinor!, percent: null })) };
    }
    case 'percent': {
      const scaled = people.map((person) => (person.percent === undefined ? undefined : scaledPercent(person.percent)));
      if (scaled.some((value) => value === undefined)) return { ok: false, problem: 'a percentage split gives every participant a percentage' };
      if (scaled.reduce((total, value) => total! + value!, 0n) !== HUNDRED_PERCENT_SCALED) return { ok: false, problem: 'the percentages must add up to 100' };
      const exact = scaled.map((value) => totalMinor * value!);
      const shares = exact.map((value) => value / HUNDRED_PERCENT_SCALED);
      let leftover = totalMinor - shares.reduce((total, value) => total + value, 0n);
      const byRemainder = exact.map((value, index) => ({ index, remainder: value % HUNDRED_PERCENT_SCALED })).sort((a, b) => (b.remainder > a.remainder ? 1 : b.remainder < a.remainder ? -1 : a.index - b.index));
      for (const { index } of byRemainder) {
        if (leftover === 0n) break;
        shares[index]! += 1n;
        leftover -= 1n;
      }
      return { ok: true, shares: people.map((person, index) => ({ userId: person.userId, shareMinor: shares[index]!, percent: person.percent! })) };
    }
  }
}
