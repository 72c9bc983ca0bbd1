import { convertMinor, fromMajorUnits, fromMinor, minorDigits, splitEvenly, toMajorUnits, toMinor } from './money';

describe('money', () => {
  it('knows the minor digits of EUR, JPY and KWD', () => {
    expect([minorDigits('EUR'), minorDigits('JPY'), minorDigits('KWD')]).toEqual([2, 0, 3]);
  });

  it('parses decimal strings into minor units within the currency’s decimals', () => {
    expect(toMinor('12.34', 'EUR')).toBe(1234n);
    expect(toMinor('12.3', 'EUR')).toBe(1230n);
    expect(toMinor('12', 'EUR')).toBe(1200n);
    expect(toMinor('1500', 'JPY')).toBe(1500n);
    expect(toMinor('1.234', 'KWD')).toBe(1234n);
  });

  it('refuses too many decimals, signs, exponents and junk', () => {
    for (const [amount, currency] of [['12.345', 'EUR'], ['1.5', 'JPY'], ['-1', 'EUR'], ['1e3', 'EUR'], ['', 'EUR'], ['1,50', 'EUR'], ['.5', 'EUR']]) {
      expect(toMinor(amount!, currency!)).toBeUndefined();
    }
  });

  it('formats minor units with the currency’s decimals', () => {
    expect(fromMinor(1234n, 'EUR')).toBe('12.34');
    expect(fromMinor(5n, 'EUR')).toBe('0.05');
    expect(fromMinor('-381', 'GBP')).toBe('-3.81');
    expect(fromMinor(1500, 'JPY')).toBe('1500');
  });

  it('turns minor units into major-unit numbers and back, rounding to the currency’s minor unit', () => {
    expect(toMajorUnits(1234n, 'EUR')).toBe(12.34);
    expect(toMajorUnits(1500n, 'JPY')).toBe(1500);
    expect(toMajorUnits(1234n, 'KWD')).toBe(1.234);
    expect(fromMajorUnits(12.344, 'EUR')).toBe(1234n);
    expect(fromMajorUnits(12.346, 'EUR')).toBe(1235n);
    expect(fromMajorUnits(1499.6, 'JPY')).toBe(1500n);
    expect(fromMajorUnits(toMajorUnits(987_654_321n, 'EUR'), 'EUR')).toBe(987_654_321n);
  });

  it('converts between currencies with half-away-from-zero rounding', () => {
    expect(convertMinor(1000n, 'USD', 'EUR', '0.9')).toBe(900n);
    expect(convertMinor(1n, 'USD', 'EUR', '0.5')).toBe(1n);
    expect(convertMinor(1000n, 'JPY', 'EUR', '0.0062')).toBe(620n);
    expect(convertMinor(12345n, 'EUR', 'JPY', '161.23')).toBe(19904n);
  });

  it('splits evenly with the remainder spread over the first shares', () => {
    expect(splitEvenly(1000n, 3)).toEqual([334n, 333n, 333n]);
    expect(splitEvenly(2n, 4)).toEqual([1n, 1n, 0n, 0n]);
  });
});
