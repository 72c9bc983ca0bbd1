import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

export interface ProviderLog {
  /** Authorization requests the provider has seen, i.e. browsers sent to it. */
  authorizeRequests: number;
  tokenRequests: Array<{ clientAuth: 'client_secret_basic' | 'client_secret_post' | 'none'; clientId?: string; codeVerifier: boolean }>;
  /** The token endpoint's refusals, e.g. a PKCE verifier that does not match the challenge. */
  tokenErrors: Array<{ status: number; body: string }>;
}

/** A real OpenID provider (oauth2-mock-server) in a child process, steered over HTTP. */
export interface TestOidcProvider {
  issuer: string;
  /** The next ID token gets these claims (null removes one), or is signed with a key the JWKS does not publish. */
  nextIdToken(claims: Record<string, unknown>, options?: { signWithUnpublishedKey?: boolean }): Promise<void>;
  /** The next authorization request is answered with this error instead of a code. */
  nextAuthorization(error: string): Promise<void>;
  /** Replaces members of the discovery document from now on. */
  advertise(discovery: Record<string, unknown>): Promise<void>;
  log(): Promise<ProviderLog>;
  /** Forgets the steering and the log. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const script = path.join(__dirname, 'oidc-provider.mts');

/** Starts the provider, on `port` when given (e.g. to bring back one the app found down). */
export async function startOidcProvider(port = 0): Promise<TestOidcProvider> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', script, String(port)], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  const issuer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the OpenID provider did not start')), 15_000);
    child.once('exit', (code) => reject(new Error(`the OpenID provider exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { issuer: string }).issuer);
    });
  });
  const send = async (route: string, body?: unknown) => {
    const response = await fetch(`${issuer}/__control/${route}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`provider control ${route} answered ${response.status}`);
    return response;
  };
  return {
    issuer,
    nextIdToken: async (claims, options) => void (await send('id-token', { claims, ...options })),
    nextAuthorization: async (error) => void (await send('authorization', { error })),
    advertise: async (discovery) => void (await send('discovery', discovery)),
    log: async () => (await (await send('log')).json()) as ProviderLog,
    reset: async () => void (await send('reset', {})),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}
