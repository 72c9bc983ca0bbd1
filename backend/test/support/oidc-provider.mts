// A real OpenID provider for the medium tests, in its own process: oauth2-mock-server serves
// discovery, JWKS, authorize and token endpoints and signs its tokens, but its key checks fail inside
// jest's VM. Run: `node test/support/oidc-provider.mts [port]`; it prints {"issuer": …} when ready and
// exits when its stdin closes. Tests steer it through /__control/* (see oidc-provider.ts).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { generateKeyPairSync, sign } from 'node:crypto';
import { OAuth2Issuer, OAuth2Service } from 'oauth2-mock-server';

interface TokenRequest {
  clientAuth: 'client_secret_basic' | 'client_secret_post' | 'none';
  clientId: string | undefined;
  codeVerifier: boolean;
}

interface Steering {
  /** Claims for the next ID tokens, first in first out; a null value removes the claim. */
  idTokens: Array<{ claims: Record<string, unknown>; signWithUnpublishedKey?: boolean }>;
  /** Errors the next authorization requests answer with instead of a code. */
  authorizations: Array<{ error: string }>;
  /** Replaces these members of the discovery document. */
  discovery: Record<string, unknown>;
  authorizeRequests: number;
  tokenRequests: TokenRequest[];
  tokenErrors: Array<{ status: number; body: string }>;
}

function basicClientId(req: IncomingMessage): string | undefined {
  const authorization = req.headers.authorization ?? '';
  if (!authorization.startsWith('Basic ')) return undefined;
  const [id = ''] = Buffer.from(authorization.slice(6), 'base64').toString().split(':');
  return decodeURIComponent(id.replaceAll('+', ' '));
}

const fresh = (): Steering => ({ idTokens: [], authorizations: [], discovery: {}, authorizeRequests: 0, tokenRequests: [], tokenErrors: [] });
let steering = fresh();

const issuer = new OAuth2Issuer();
await issuer.keys.generate('RS256');
const service = new OAuth2Service(issuer);
const unpublished = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

service.on('beforeWellKnownOpenIdConfiguration', (response: { body: Record<string, unknown> }) => {
  Object.assign(response.body, steering.discovery);
});

service.on('beforeAuthorizeRedirect', (redirect: { url: URL }) => {
  steering.authorizeRequests += 1;
  const next = steering.authorizations.shift();
  if (!next) return;
  redirect.url.searchParams.delete('code');
  redirect.url.searchParams.set('error', next.error);
});

// Access tokens carry a scope; ID tokens do not.
service.on('beforeTokenSigning', (token: { payload: Record<string, unknown> }, req: IncomingMessage) => {
  if ('scope' in token.payload) return;
  // The mock takes the audience from HTTP Basic credentials without undoing their form-encoding
  // (RFC 6749 §2.3.1), so `my-client` would come out as `my%2Dclient`; real providers decode it.
  const basic = basicClientId(req);
  if (basic) token.payload.aud = basic;
  const next = steering.idTokens[0];
  if (!next) return;
  for (const [name, value] of Object.entries(next.claims)) {
    if (value === null) delete token.payload[name];
    else token.payload[name] = value;
  }
});

// The mock does not wait for listeners: everything here is synchronous.
service.on('beforeResponse', (response: { body: Record<string, unknown> }, req: IncomingMessage & { body: Record<string, unknown> }) => {
  const basic = basicClientId(req);
  steering.tokenRequests.push({
    clientAuth: basic ? 'client_secret_basic' : req.body.client_secret ? 'client_secret_post' : 'none',
    clientId: basic ?? (req.body.client_id as string | undefined),
    codeVerifier: typeof req.body.code_verifier === 'string',
  });
  const next = steering.idTokens.shift();
  if (next?.signWithUnpublishedKey && typeof response.body.id_token === 'string') {
    // Same header (so the kid names the published key) and claims, but signed by a key the JWKS does not publish.
    const [header, payload] = response.body.id_token.split('.');
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), unpublished).toString('base64url');
    response.body.id_token = `${header}.${payload}.${signature}`;
  }
});

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(chunks.length ? (JSON.parse(Buffer.concat(chunks).toString()) as Record<string, unknown>) : {}));
    req.on('error', reject);
  });
}

async function control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const body = req.method === 'POST' ? await readJson(req) : {};
  switch (`${req.method} ${path}`) {
    case 'POST /__control/reset':
      steering = fresh();
      break;
    case 'POST /__control/id-token':
      steering.idTokens.push(body as Steering['idTokens'][number]);
      break;
    case 'POST /__control/authorization':
      steering.authorizations.push(body as { error: string });
      break;
    case 'POST /__control/discovery':
      steering.discovery = body;
      break;
    case 'GET /__control/log': {
      const { authorizeRequests, tokenRequests, tokenErrors } = steering;
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ authorizeRequests, tokenRequests, tokenErrors }));
      return;
    }
    default:
      res.statusCode = 404;
  }
  res.end();
}

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://provider.invalid').pathname;
  if (path.startsWith('/__control/')) {
    control(req, res, path).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
    return;
  }
  if (req.method === 'POST' && path === '/token') {
    // Keeps the provider's refusals (e.g. a PKCE verifier that does not match) for the test to read.
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    res.end = ((...args: unknown[]) => {
      if (res.statusCode >= 400) steering.tokenErrors.push({ status: res.statusCode, body: String(args[0]) });
      return end(...args);
    }) as ServerResponse['end'];
  }
  service.requestHandler(req, res);
});

const port = Number(process.argv[2] ?? 0);
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('no address');
  issuer.url = `http://127.0.0.1:${address.port}`;
  process.stdout.write(`${JSON.stringify({ issuer: issuer.url })}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
