import { RedirectNotAllowed } from './oauth.errors';

function normalise(address: string): string {
  try {
    return new URL(address).href;
  } catch {
    return address;
  }
}

/**
 * Where a sign-in may send the browser or app back to (AUTH_REDIRECT_ALLOWLIST): URL prefixes such as
 * `https://app.example.com/` or `spendcast://auth/`. Both sides are compared as the URL parser
 * normalises them, so `https://app.example.com` allows `https://app.example.com/…` but not
 * `https://app.example.com.evil.test/`, and tricks like backslashes or credentials cannot smuggle a
 * different host past a plain string comparison.
 */
export class ReturnAddresses {
  private readonly prefixes: string[];

  constructor(prefixes: string[]) {
    this.prefixes = prefixes.map(normalise);
  }

  /** The normalised address when it is allowed; throws REDIRECT_NOT_ALLOWED otherwise. */
  check(returnTo: string): string {
    let url: URL;
    try {
      url = new URL(returnTo);
    } catch {
      throw new RedirectNotAllowed();
    }
    if (url.username || url.password) throw new RedirectNotAllowed();
    const address = url.href;
    if (!this.prefixes.some((prefix) => startsAtBoundary(address, prefix))) throw new RedirectNotAllowed();
    return address;
  }
}

/**
 * A prefix matches only up to a boundary: `spendcast://auth` allows `spendcast://auth/callback` but
 * not `spendcast://auth.evil/`, and `…/app` allows `…/app/x` but not `…/application`.
 */
function startsAtBoundary(address: string, prefix: string): boolean {
  if (!address.startsWith(prefix)) return false;
  const next = address.charAt(prefix.length);
  return prefix.endsWith('/') || prefix.endsWith(':') || next === '' || '/?#'.includes(next);
}

/** The address with one query parameter set, e.g. `login_code` or `login_error`. */
export function withParameter(address: string, name: string, value: string): string {
  const url = new URL(address);
  url.searchParams.set(name, value);
  return url.href;
}
