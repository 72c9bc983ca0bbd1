import type { Cache } from './cache.port';
import { MemoryCache } from './memory-cache';
import { ScopedAnswers } from './scoped-answers';

describe('ScopedAnswers', () => {
  const group = { groupId: 'g1', userId: null };
  const other = { groupId: 'g2', userId: null };

  it('computes an answer once per scope and question until the scope is retired', async () => {
    const answers = new ScopedAnswers(new MemoryCache(), 600);
    let computed = 0;
    const ask = (scope: typeof group, question: unknown) => answers.remember(scope, question, async () => ++computed);

    const first = await ask(group, ['totals', 1]);
    const again = await ask(group, ['totals', 1]);
    const otherQuestion = await ask(group, ['totals', 2]);
    const otherScope = await ask(other, ['totals', 1]);
    await answers.retire(group);
    const afterRetire = await ask(group, ['totals', 1]);
    const untouched = await ask(other, ['totals', 1]);

    expect([first, again, otherQuestion, otherScope, afterRetire, untouched]).toEqual([1, 1, 2, 3, 4, 3]);
  });

  it('does not keep answers turned down by `keep`', async () => {
    const answers = new ScopedAnswers(new MemoryCache(), 600);
    let computed = 0;
    const ask = () => answers.remember(group, 'forecast', async () => ({ available: ++computed > 1 }), (answer) => answer.available);

    expect([await ask(), await ask(), await ask()]).toEqual([{ available: false }, { available: true }, { available: true }]);
  });

  it('reports a cache that cannot count instead of failing the committed change', async () => {
    const broken = Object.assign(new MemoryCache(), { increment: () => Promise.reject(new Error('Redis is down')) }) as Cache;
    const errors: unknown[] = [];
    const answers = new ScopedAnswers(broken, 600, (error) => errors.push(error));

    await expect(answers.retire(group)).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
  });
});
