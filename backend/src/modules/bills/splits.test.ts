import { computeShares } from './splits';

const sum = (shares: Array<{ shareMinor: bigint }>) => shares.reduce((total, share) => total + share.shareMinor, 0n);

describe('splitting a bill', () => {
  it('splits equally with the odd cent going to the first participants', () => {
    const outcome = computeShares(1000n, { kind: 'equal', participants: [{ userId: 'a' }, { userId: 'b' }, { userId: 'c' }] });
    expect(outcome).toEqual({ ok: true, shares: [{ userId: 'a', shareMinor: 334n, percent: null }, { userId: 'b', shareMinor: 333n, percent: null }, { userId: 'c', shareMinor: 333n, percent: null }] });
  });

  it('accepts exact amounts that add up and refuses ones that do not', () => {
    expect(computeShares(1000n, { kind: 'exact', participants: [{ userId: 'a', amountMinor: 600n }, { userId: 'b', amountMinor: 400n }] }).ok).toBe(true);
    expect(computeShares(1000n, { kind: 'exact', participants: [{ userId: 'a', amountMinor: 600n }, { userId: 'b', amountMinor: 399n }] })).toEqual({ ok: false, problem: 'the exact amounts must add up to the bill amount' });
  });

  it('turns percentages into shares that sum to the total', () => {
    const outcome = computeShares(1000n, { kind: 'percent', participants: [{ userId: 'a', percent: '33.3333' }, { userId: 'b', percent: '33.3333' }, { userId: 'c', percent: '33.3334' }] });
    expect(outcome.ok && sum(outcome.shares)).toBe(1000n);
    expect(outcome.ok && outcome.shares.map((share) => share.shareMinor)).toEqual([333n, 333n, 334n]);
  });

  it('refuses percentages that do not add up to 100', () => {
    expect(computeShares(1000n, { kind: 'percent', participants: [{ userId: 'a', percent: '50' }, { userId: 'b', percent: '49.99' }] })).toEqual({ ok: false, problem: 'the percentages must add up to 100' });
  });

  it('refuses a participant listed twice and an empty split', () => {
    expect(computeShares(1000n, { kind: 'equal', participants: [{ userId: 'a' }, { userId: 'a' }] }).ok).toBe(false);
    expect(computeShares(1000n, { kind: 'equal', participants: [] }).ok).toBe(false);
  });

  it('always sums to the total for any equal split of 1..50 people', () => {
    for (let people = 1; people <= 50; people++) {
      for (const total of [1n, 99n, 1001n, 123457n]) {
        const outcome = computeShares(total, { kind: 'equal', participants: Array.from({ length: people }, (_, index) => ({ userId: String(index) })) });
        expect(outcome.ok && sum(outcome.shares)).toBe(total);
      }
    }
  });
});
