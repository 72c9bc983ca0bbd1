import type { ApiRouter } from '../http';
import { z } from '../openapi';

export interface DependencyCheck {
  name: string;
  check(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 2_000;

const Liveness = z.object({ status: z.literal('ok') }).openapi('Liveness');
const Readiness = z
  .object({
    status: z.enum(['ready', 'unavailable']),
    checks: z.record(z.string(), z.object({ status: z.enum(['up', 'down']), error: z.string().optional() })),
  })
  .openapi('Readiness');

async function probe(dependency: DependencyCheck): Promise<{ status: 'up' | 'down'; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([dependency.check(), timeout]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

export function registerHealthRoutes(api: ApiRouter, dependencies: DependencyCheck[]): void {
  api.route({
    method: 'get',
    access: 'public',
    path: '/healthz',
    summary: 'Liveness: the process is up',
    tags: ['health'],
    responses: { 200: { description: 'Up.', schema: Liveness } },
    handler: () => ({ status: 200, body: { status: 'ok' } }),
  });

  api.route({
    method: 'get',
    access: 'public',
    path: '/readyz',
    summary: 'Readiness: every required dependency answers',
    tags: ['health'],
    responses: {
      200: { description: 'Ready to serve.', schema: Readiness },
      503: { description: 'A dependency is down; `checks` names it.', schema: Readiness },
    },
    handler: async () => {
      const results = await Promise.all(dependencies.map(async (dependency) => [dependency.name, await probe(dependency)] as const));
      const ready = results.every(([, result]) => result.status === 'up');
      return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'unavailable', checks: Object.fromEntries(results) } };
    },
  });
}
