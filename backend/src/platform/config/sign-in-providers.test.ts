import { ConfigError, loadConfig } from './config';

function problemsFor(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error(`expected loadConfig(${JSON.stringify(env)}) to throw a ConfigError`);
}

const acme = {
  OIDC_PROVIDERS: 'acme',
  OIDC_ACME_ISSUER: 'https://sso.acme.test/realms/acme',
  OIDC_ACME_CLIENT_ID: 'spendcast',
  OIDC_ACME_CLIENT_SECRET: 'secret',
};

describe('sign-in provider configuration', () => {
  it('when nothing is set, then only password sign-in is configured', () => {
    const { auth } = loadConfig({});

    expect(auth.google).toBeUndefined();
    expect(auth.oidcProviders).toEqual([]);
  });

  it('when the Google client is set, then Google uses accounts.google.com by default', () => {
    const { auth } = loadConfig({ GOOGLE_CLIENT_ID: 'id', GOOGLE_CLIENT_SECRET: 'secret' });

    expect(auth.google).toEqual({ clientId: 'id', clientSecret: 'secret', issuer: 'https://accounts.google.com' });
  });

  it('when only half of the Google client is set, then the missing variable is named', () => {
    expect(problemsFor({ GOOGLE_CLIENT_ID: 'id' })).toEqual(['GOOGLE_CLIENT_SECRET: required when GOOGLE_CLIENT_ID is set']);
    expect(problemsFor({ GOOGLE_CLIENT_SECRET: 'secret' })).toEqual(['GOOGLE_CLIENT_ID: required when GOOGLE_CLIENT_SECRET is set']);
  });

  it('when an issuer is plain HTTP in production, then it is refused', () => {
    const production = { NODE_ENV: 'production', JWT_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----', SECRETS_KEY: Buffer.alloc(32).toString('base64') };

    expect(problemsFor({ ...production, GOOGLE_ISSUER_URL: 'http://google.test' })).toEqual(['GOOGLE_ISSUER_URL: must be an https URL in production']);
    expect(problemsFor({ ...production, ...acme, OIDC_ACME_ISSUER: 'http://sso.acme.test' })).toEqual(['OIDC_ACME_ISSUER: must be an https URL in production']);
  });

  it('when a company provider is listed, then it is read from its OIDC_<NAME>_ variables', () => {
    const { auth } = loadConfig({
      ...acme,
      OIDC_PROVIDERS: 'ACME, my-corp',
      OIDC_ACME_ALLOWED_DOMAINS: 'Acme.test, @acme.de',
      OIDC_ACME_LABEL: 'Acme SSO',
      OIDC_MY_CORP_ISSUER: 'https://login.microsoftonline.com/tenant/v2.0',
      OIDC_MY_CORP_CLIENT_ID: 'client',
      OIDC_MY_CORP_CLIENT_SECRET: 'secret',
    });

    expect(auth.oidcProviders).toEqual([
      { name: 'acme', label: 'Acme SSO', issuer: 'https://sso.acme.test/realms/acme', clientId: 'spendcast', clientSecret: 'secret', allowedDomains: ['acme.test', 'acme.de'] },
      { name: 'my-corp', label: 'My-corp', issuer: 'https://login.microsoftonline.com/tenant/v2.0', clientId: 'client', clientSecret: 'secret', allowedDomains: [] },
    ]);
  });

  it('when a listed provider lacks variables, then each missing variable is named', () => {
    expect(problemsFor({ OIDC_PROVIDERS: 'acme' })).toEqual([
      'OIDC_ACME_ISSUER: required because OIDC_PROVIDERS lists acme',
      'OIDC_ACME_CLIENT_ID: required because OIDC_PROVIDERS lists acme',
      'OIDC_ACME_CLIENT_SECRET: required because OIDC_PROVIDERS lists acme',
    ]);
  });

  it('when a provider variable is malformed, then it is named with what is wrong', () => {
    expect(problemsFor({ ...acme, OIDC_ACME_ISSUER: 'sso.acme.test' })).toEqual(['OIDC_ACME_ISSUER: must be an http(s) URL']);
    expect(problemsFor({ ...acme, OIDC_ACME_ALLOWED_DOMAINS: 'acme.test,not a domain' })).toEqual(['OIDC_ACME_ALLOWED_DOMAINS: "not a domain" is not a domain name']);
  });

  it('when a provider name is unusable or repeated, then OIDC_PROVIDERS is named', () => {
    expect(problemsFor({ OIDC_PROVIDERS: 'google' })).toEqual([expect.stringMatching(/^OIDC_PROVIDERS: "google" is not a provider name/)]);
    expect(problemsFor({ OIDC_PROVIDERS: 'acme/corp' })).toEqual([expect.stringMatching(/^OIDC_PROVIDERS: "acme\/corp" is not a provider name/)]);
    expect(problemsFor({ ...acme, OIDC_PROVIDERS: 'acme,ACME' })).toEqual(['OIDC_PROVIDERS: "ACME" is listed twice']);
  });
});
