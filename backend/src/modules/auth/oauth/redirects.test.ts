import { ReturnAddresses, withParameter } from './redirects';

describe('ReturnAddresses', () => {
  const allowed = new ReturnAddresses(['https://app.example.com', 'spendcast://auth/']);

  it('accepts an address under an allowed web prefix and returns it normalised', () => {
    expect(allowed.check('https://APP.example.com/signed-in?tab=1')).toBe('https://app.example.com/signed-in?tab=1');
  });

  it('accepts the mobile app scheme under its allowed prefix', () => {
    expect(allowed.check('spendcast://auth/callback')).toBe('spendcast://auth/callback');
  });

  it.each([
    ['another host', 'https://evil.example.com/'],
    ['a host that only starts like an allowed one', 'https://app.example.com.evil.test/'],
    ['credentials in front of the host', 'https://app.example.com@evil.test/'],
    ['backslashes a browser reads as slashes', 'https:\\\\evil.test\\app.example.com/'],
    ['plain HTTP for an HTTPS prefix', 'http://app.example.com/'],
    ['another path of the app scheme', 'spendcast://settings'],
    ['a relative address', '/signed-in'],
    ['a script address', 'javascript:alert(1)//https://app.example.com/'],
  ])('refuses %s with REDIRECT_NOT_ALLOWED', (_case, address) => {
    expect(() => allowed.check(address)).toThrow(expect.objectContaining({ code: 'REDIRECT_NOT_ALLOWED' }));
  });
});

describe('ReturnAddresses with prefixes that do not end in a slash', () => {
  const allowed = new ReturnAddresses(['spendcast://auth', 'https://app.example.com/app']);

  it('accepts addresses below the prefix', () => {
    expect(allowed.check('spendcast://auth/callback')).toBe('spendcast://auth/callback');
    expect(allowed.check('https://app.example.com/app/signed-in')).toBe('https://app.example.com/app/signed-in');
  });

  it('refuses addresses that only start with the same characters', () => {
    for (const address of ['spendcast://auth.evil/', 'https://app.example.com/application']) {
      expect(() => allowed.check(address)).toThrow(expect.objectContaining({ code: 'REDIRECT_NOT_ALLOWED' }));
    }
  });
});

describe('withParameter', () => {
  it('adds the parameter to the query and keeps the rest of the address', () => {
    expect(withParameter('https://app.example.com/in?tab=1#top', 'login_code', 'a b')).toBe('https://app.example.com/in?tab=1&login_code=a+b#top');
    expect(withParameter('spendcast://auth/callback', 'login_error', 'OAUTH_FAILED')).toBe('spendcast://auth/callback?login_error=OAUTH_FAILED');
  });
});
