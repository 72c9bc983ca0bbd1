import { createHash } from 'node:crypto';
import type { Cache } from './cache.port';

/** Whose data an answer was computed from: a group's, or one user's personal bills. */
export interface DataScope {
  groupId: string | null;
  userId: string | null;
}

const scopeKey = (scope: DataScope) => (scope.groupId ? `g:${scope.groupId}` : `u:${scope.userId}`);
const generationKey = (scope: string) => `answers:generation:${scope}`;

/**
 * Answers computed from a scope's data (dashboard aggregates, forecasts),
 * cached and retired together: keys carry the scope's generation, and any change to the scope's data
 * moves the generation on, so every answer of the old one is dead at once, on every replica sharing
 * the cache. Entries also expire after `ttlSeconds`, which bounds how stale an answer can be if a
 * retirement is ever lost.
 */
export class ScopedAnswers {
  constructor(
    private readonly cache: Cache,
    private readonly ttlSeconds: number,
    /** A change committed but the cache could not be told: answers may be up to `ttlSeconds` old. */
    private readonly onRetireFailed: (error: unknown) => void = () => undefined,
  ) {}

  /**
   * The answer to `question` (anything JSON: it must name everything the answer depends on besides
   * the scope's data, e.g. who asks and what they may see) from the cache, or computed and kept.
   * Answers `keep` turns down are not stored.
   */
  async remember<T>(scope: DataScope, question: unknown, compute: () => Promise<T>, keep: (answer: T) => boolean = () => true): Promise<T> {
    const family = scopeKey(scope);
    const generation = (await this.cache.get(generationKey(family))) ?? '0';
    const key = `answers:${family}:${generation}:${createHash('sha256').update(JSON.stringify(question)).digest('base64url')}`;
    const hit = await this.cache.get(key);
    if (hit !== undefined) return JSON.parse(hit) as T;
    const answer = await compute();
    if (keep(answer)) await this.cache.set(key, JSON.stringify(answer), this.ttlSeconds);
    return answer;
  }

  /** The scope's data changed (and committed): no answer computed before is served again. Never throws. */
  async retire(scope: DataScope): Promise<void> {
    try {
      await this.cache.increment(generationKey(scopeKey(scope)));
    } catch (error) {
      this.onRetireFailed(error);
    }
  }
}
