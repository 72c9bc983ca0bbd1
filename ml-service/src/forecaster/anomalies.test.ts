import { ANOMALY_THRESHOLD, scoreAnomalies, type Bill } from './anomalies';

let next = 0;
function bill(amount: number, payee = 'Tesco', categoryId = 'food'): Bill {
  return { id: `b${++next}`, amount, categoryId, categoryName: categoryId === 'food' ? 'Groceries' : categoryId, payee };
}

function verdictFor(target: Bill, context: Bill[]) {
  return scoreAnomalies([...context, target]).find((verdict) => verdict.id === target.id)!;
}

describe('scoreAnomalies', () => {
  const usualShop = [40, 42, 38, 45, 41, 39, 44].map((amount) => bill(amount));

  it('passes a bill in line with earlier bills to the same payee, saying what it was compared with', () => {
    const verdict = verdictFor(bill(43), usualShop);
    expect(verdict.anomalous).toBe(false);
    expect(verdict.score).toBeLessThan(1);
    expect(verdict.reason).toBe('in line with 7 other bills to Tesco in Groceries (median 41.00)');
  });

  it('flags a bill far above its payee’s usual amount, with the multiple of the median', () => {
    const verdict = verdictFor(bill(180), usualShop);
    expect(verdict.anomalous).toBe(true);
    expect(verdict.score).toBeGreaterThanOrEqual(ANOMALY_THRESHOLD);
    expect(verdict.reason).toBe('180.00 is 4.4× the median (41.00) of 7 other bills to Tesco in Groceries');
  });

  it('flags a bill far below its payee’s usual amount', () => {
    const verdict = verdictFor(bill(2), usualShop);
    expect(verdict.anomalous).toBe(true);
    expect(verdict.reason).toBe('2.00 is far below the median (41.00) of 7 other bills to Tesco in Groceries');
  });

  it('is not fooled by one earlier outlier: the median and MAD barely move', () => {
    const withOutlier = [...usualShop, bill(5000)];
    expect(verdictFor(bill(43), withOutlier).anomalous).toBe(false);
    expect(verdictFor(bill(180), withOutlier).anomalous).toBe(true);
  });

  it('treats a subscription that never changes as unusual when it changes by much, not by a cent', () => {
    const subscription = Array.from({ length: 6 }, () => bill(9.99, 'Netflix', 'fun'));
    expect(verdictFor(bill(10, 'Netflix', 'fun'), subscription).anomalous).toBe(false);
    expect(verdictFor(bill(19.99, 'Netflix', 'fun'), subscription).anomalous).toBe(true);
  });

  it('matches payees whatever their case', () => {
    expect(verdictFor(bill(43, 'TESCO'), usualShop).reason).toMatch(/^in line with 7 other bills to TESCO in Groceries/);
  });

  it('compares with the whole category when the payee has too few bills', () => {
    const category = [bill(40, 'Aldi'), bill(38, 'Lidl'), bill(45, 'Aldi'), bill(41, 'Co-op'), bill(39, 'Lidl')];
    const verdict = verdictFor(bill(44, 'Aldi'), category);
    expect(verdict.reason).toBe('in line with 5 other Groceries bills (median 40.00)');
  });

  it('flags a first bill to a new payee at three times the category median even when the spread would pass it', () => {
    const spread = [10, 60, 15, 70, 12, 65, 20, 55].map((amount, index) => bill(amount, `Shop ${index}`));
    const verdict = verdictFor(bill(130, 'Brand new'), spread);
    expect(verdict.score).toBeLessThan(ANOMALY_THRESHOLD);
    expect(verdict.anomalous).toBe(true);
    expect(verdict.reason).toBe('first bill to Brand new: 130.00 is 3.5× the median (37.50) of 8 other Groceries bills');
  });

  it('does not call a bill with no payee a first bill', () => {
    const spread = [10, 60, 15, 70, 12, 65, 20, 55].map((amount, index) => bill(amount, `Shop ${index}`));
    expect(verdictFor(bill(130, ''), spread).anomalous).toBe(false);
  });

  it('declines to judge with too few bills in the category', () => {
    const verdict = verdictFor(bill(1000), [bill(10), bill(12)]);
    expect(verdict).toMatchObject({ score: 0, anomalous: false, reason: 'too few Groceries bills to compare with: 2 other, 4 needed' });
  });

  it('keeps categories apart', () => {
    const rent = Array.from({ length: 5 }, () => bill(900, 'Landlord', 'rent'));
    const verdict = verdictFor(bill(45), [...usualShop, ...rent]);
    expect(verdict.reason).toMatch(/^in line with 7 other bills to Tesco in Groceries/);
  });

  it('answers in the order of the request', () => {
    const bills = [bill(1), bill(2), bill(3)];
    expect(scoreAnomalies(bills).map((verdict) => verdict.id)).toEqual(bills.map((item) => item.id));
  });
});
