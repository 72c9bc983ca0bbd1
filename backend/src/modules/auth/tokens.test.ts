import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadSigningKey } from './keys';
import { AccessTokens } from './tokens';

const TTL_SECONDS = 900;
// Only the clock is faked: jose's signature checks run on real promises.
const realTimers = ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] as const;

describe('AccessTokens', () => {
  let keysDirectory: string;
  let tokens: AccessTokens;

  beforeAll(async () => {
    keysDirectory = mkdtempSync(path.join(os.tmpdir(), 'spendcast-keys-'));
    tokens = new AccessTokens(await loadSigningKey(undefined, keysDirectory), 'https://spendcast.test', TTL_SECONDS);
  });
  afterAll(() => rmSync(keysDirectory, { recursive: true, force: true }));
  beforeEach(() => jest.useFakeTimers({ doNotFake: [...realTimers], now: new Date('2026-11-25T10:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('verifies the claims it issued, again and again', async () => {
    const token = await tokens.issue({ userId: 'user-1', onboarded: true });

    const expiresAtMs = Date.now() + TTL_SECONDS * 1000;
    expect(await tokens.verify(token)).toEqual({ userId: 'user-1', onboarded: true, expiresAtMs });
    expect(await tokens.verify(token)).toEqual({ userId: 'user-1', onboarded: true, expiresAtMs });
  });

  it('refuses a token it verified before once the token has expired', async () => {
    const token = await tokens.issue({ userId: 'user-1', onboarded: false });
    await tokens.verify(token);

    jest.setSystemTime(Date.now() + (TTL_SECONDS + 1) * 1000);

    await expect(tokens.verify(token)).rejects.toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('refuses a changed copy of a token it verified before', async () => {
    const token = await tokens.issue({ userId: 'user-1', onboarded: false });
    await tokens.verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const onboarded = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), onb: true })).toString('base64url');

    await expect(tokens.verify(`${header}.${onboarded}.${signature}`)).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });
});
