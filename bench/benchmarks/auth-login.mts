// Password sign-in: argon2id dominates by design. Baseline: bare argon2.verify with the product's
// parameters in this process; then POST /api/v1/auth/login through the whole product.
import { createRequire } from 'node:module';
import autocannon from 'autocannon';
import { load, round } from '../lib/stats.mts';
import type { Benchmark } from '../lib/benchmark.mts';

// The product's own hashing code (built by the runner), so the baseline uses exactly its parameters.
interface Passwords {
  hashPassword(password: string): Promise<string>;
  PasswordVerifier: { create(): Promise<{ verify(hash: string, password: string): Promise<boolean> }> };
}
const passwords = createRequire(import.meta.url)('../../backend/dist/modules/auth/passwords.js') as Passwords;
const PASSWORD = 'correct horse battery staple';

export const authLogin: Benchmark = {
  name: 'auth-login',
  description: 'Password checks per second (bare argon2id verify, 19 MiB, t=2) and POST /api/v1/auth/login latency through the API.',
  async run({ product }) {
    const hash = await passwords.hashPassword(PASSWORD);
    const verifier = await passwords.PasswordVerifier.create();
    const bare = [];
    for (const concurrency of [1, 4]) bare.push({ what: `bare argon2 verify, concurrency ${concurrency}`, ...(await load(concurrency, 60, () => verifier.verify(hash, PASSWORD))) });

    const email = `bench-${Date.now()}@example.com`;
    const registered = await fetch(`${product.url}/api/v1/auth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
    if (registered.status !== 201) throw new Error(`register failed: ${registered.status}`);
    const api = [];
    for (const connections of [1, 4]) {
      const result = await autocannon({
        url: `${product.url}/api/v1/auth/login`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
        connections,
        amount: 60,
      });
      if (result.non2xx > 0) throw new Error(`login failed ${result.non2xx} times`);
      api.push({ what: `POST /auth/login, ${connections} connection(s)`, perSecond: round(result.requests.average, 1), latencyMs: { p50: result.latency.p50, p99: result.latency.p99 } });
    }
    const ratio = round(api[1]!.perSecond / bare[1]!.perSecond, 3);
    return { rows: [...bare, ...api], ratio };
  },
};
