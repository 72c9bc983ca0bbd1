import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { MemoryCache, RedisCache, type Cache } from '../../../src/platform/cache';

const redis = new Redis(process.env.REDIS_URL!);
// Keys of this run only, so parallel or repeated runs against the same Redis never see each other's values.
const runPrefix = `contract-test:${randomBytes(6).toString('hex')}:`;

afterAll(async () => {
  const keys = await redis.keys(`${runPrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each<{ name: string; create: () => Cache }>([
  { name: 'MemoryCache', create: () => new MemoryCache() },
  { name: 'RedisCache', create: () => new RedisCache(redis) },
])('Cache contract: $name', ({ create }) => {
  let cache: Cache;
  let key: (name: string) => string;

  beforeEach(() => {
    cache = create();
    const testPrefix = `${runPrefix}${randomBytes(4).toString('hex')}:`;
    key = (name) => `${testPrefix}${name}`;
  });

  it('returns undefined when getting a key that was never set', async () => {
    await expect(cache.get(key('missing'))).resolves.toBeUndefined();
  });

  it('gives a taken value to exactly one of two concurrent takers and removes it', async () => {
    await cache.set(key('code'), 'user-1', 60);

    const taken = await Promise.all([cache.take(key('code')), cache.take(key('code'))]);

    expect(taken.filter((value) => value !== undefined)).toEqual(['user-1']);
    await expect(cache.get(key('code'))).resolves.toBeUndefined();
  });

  it('returns the value when a key was set', async () => {
    await cache.set(key('greeting'), 'grüezi – 👋', 60);

    await expect(cache.get(key('greeting'))).resolves.toBe('grüezi – 👋');
  });

  it('keeps keys apart when several are set', async () => {
    await cache.set(key('a'), 'one', 60);
    await cache.set(key('b'), 'two', 60);

    await expect(cache.get(key('a'))).resolves.toBe('one');
    await expect(cache.get(key('b'))).resolves.toBe('two');
  });

  it('round-trips an empty string and JSON unchanged', async () => {
    const json = JSON.stringify({ amount: 12.5, tags: ['food'], note: null });
    await cache.set(key('empty'), '', 60);
    await cache.set(key('json'), json, 60);

    await expect(cache.get(key('empty'))).resolves.toBe('');
    await expect(cache.get(key('json'))).resolves.toBe(json);
  });

  it('returns undefined when the TTL has passed', async () => {
    await cache.set(key('short-lived'), 'soon gone', 1);
    await expect(cache.get(key('short-lived'))).resolves.toBe('soon gone');

    await sleep(1_200);

    await expect(cache.get(key('short-lived'))).resolves.toBeUndefined();
  });

  it('returns undefined when the key was deleted', async () => {
    await cache.set(key('doomed'), 'value', 60);

    await cache.delete(key('doomed'));

    await expect(cache.get(key('doomed'))).resolves.toBeUndefined();
  });

  it('resolves when deleting a key that does not exist', async () => {
    await expect(cache.delete(key('never-there'))).resolves.toBeUndefined();
  });

  it('returns 1 then 2 when incrementing a key that does not exist', async () => {
    await expect(cache.increment(key('generation'))).resolves.toBe(1);
    await expect(cache.increment(key('generation'))).resolves.toBe(2);
  });

  it('counts each counter on its own', async () => {
    await cache.increment(key('first'));
    await cache.increment(key('first'));

    await expect(cache.increment(key('second'))).resolves.toBe(1);
    await expect(cache.increment(key('first'))).resolves.toBe(3);
  });

  it('starts again from 1 when a counter was deleted', async () => {
    await cache.increment(key('reset'));
    await cache.increment(key('reset'));

    await cache.delete(key('reset'));

    await expect(cache.increment(key('reset'))).resolves.toBe(1);
  });

  it('returns the newer value when a key is overwritten', async () => {
    await cache.set(key('overwritten'), 'old', 60);

    await cache.set(key('overwritten'), 'new', 60);

    await expect(cache.get(key('overwritten'))).resolves.toBe('new');
  });

  it('applies the newer TTL when a key is overwritten', async () => {
    await cache.set(key('renewed'), 'old', 1);

    await cache.set(key('renewed'), 'new', 60);
    await sleep(1_200);

    await expect(cache.get(key('renewed'))).resolves.toBe('new');
  });
});
