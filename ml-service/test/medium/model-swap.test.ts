import { status as Status, type ServiceError } from '@grpc/grpc-js';
import { shipped, TestRegistry } from '../support/registry';
import { startTestService } from '../support/ml-service';
import { series } from '../support/series';

const registry = new TestRegistry();
let app: Awaited<ReturnType<typeof startTestService>>;
const request = { series: Array.from({ length: 12 }, (_, i) => series(`category-${i}`)), horizon: 6 };

beforeAll(async () => {
  await registry.create();
  // Promoted but not uploaded yet: the registry's state for a moment during a real registration.
  await registry.promote('v1');
  app = await startTestService(registry.env);
});

afterAll(async () => {
  await app?.stop();
  await registry.drop();
});

describe('when the active version cannot be loaded', () => {
  it('reports NOT_SERVING and answers UNAVAILABLE', async () => {
    expect(await app.health()).toBe('NOT_SERVING');
    const error = (await app.client.forecast(request).catch((caught: unknown) => caught)) as ServiceError;
    expect(error.code).toBe(Status.UNAVAILABLE);
  });

  it('serves it once it is uploaded and the registry is checked again', async () => {
    await registry.publish('v1');
    await app.service.models.refresh();

    expect(await app.health()).toBe('SERVING');
    expect((await app.client.forecast(request)).model).toMatchObject({ name: shipped.name, version: 'v1' });
  });
});

describe('when a new version is promoted', () => {
  it('swaps to it while calls are in flight, failing none: calls that began on the old model finish on it', async () => {
    const calls: Array<{ version: string; started: number; ended: number }> = [];
    let running = true;
    const caller = async () => {
      while (running) {
        const started = performance.now();
        const response = await app.client.forecast(request);
        calls.push({ version: response.model!.version, started, ended: performance.now() });
      }
    };
    const callers = Array.from({ length: 4 }, caller);

    await new Promise((resolve) => setTimeout(resolve, 300));
    await registry.publish('v2');
    await registry.promote('v2');
    await app.service.models.refresh();
    const swapped = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 300));
    running = false;
    await Promise.all(callers);

    const firstOnV2 = Math.min(...calls.filter((call) => call.version === 'v2').map((call) => call.started));
    // A call still running on v1 after one had begun on v2: the swap happened under calls in flight.
    expect(calls.some((call) => call.version === 'v1' && call.ended > firstOnV2)).toBe(true);
    expect(calls.filter((call) => call.started > swapped).map((call) => call.version)).toEqual(expect.arrayContaining(['v2']));
    expect(calls.filter((call) => call.started > swapped).every((call) => call.version === 'v2')).toBe(true);
    expect(await app.client.getModelInfo({})).toMatchObject({ model: { version: 'v2' }, source: 'registry' });
  });

  it('finds it by polling when no one calls refresh', async () => {
    const polling = await startTestService({ ...registry.env, MODEL_POLL_INTERVAL_MS: '1000' });
    try {
      await registry.publish('v3');
      await registry.promote('v3');
      const deadline = Date.now() + 10_000;
      while ((await polling.client.getModelInfo({})).model?.version !== 'v3' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await polling.client.getModelInfo({})).model?.version).toBe('v3');
    } finally {
      await polling.stop();
    }
  });

  it('keeps serving the current model when the promoted version is broken', async () => {
    const current = (await app.client.getModelInfo({})).model?.version;
    await registry.promote('missing-version');
    await app.service.models.refresh();

    expect((await app.client.getModelInfo({})).model?.version).toBe(current);
    expect(await app.health()).toBe('SERVING');
  });
});

describe('when the active version was trained on other features than this release computes (promoted before an upgrade)', () => {
  it('serves the shipped model instead, says why once, and swaps to the next version trained for its features', async () => {
    const upgraded = new TestRegistry();
    await upgraded.create();
    const older = { featureSpecVersion: Number(shipped.metadata['featureSpecVersion']) - 1 };
    await upgraded.publish('trained-before', older);
    await upgraded.promote('trained-before');
    const service = await startTestService(upgraded.env);
    try {
      expect(await service.health()).toBe('SERVING');
      expect(await service.client.getModelInfo({})).toMatchObject({ model: { version: shipped.version }, source: 'shipped' });
      expect((await service.client.forecast(request)).model).toMatchObject({ version: shipped.version });
      await service.service.models.refresh();
      expect(service.logs.filter((line) => String(line['msg']).includes('trained on other features'))).toHaveLength(1);

      await upgraded.publish('trained-after');
      await upgraded.promote('trained-after');
      await service.service.models.refresh();
      expect(await service.client.getModelInfo({})).toMatchObject({ model: { version: 'trained-after' }, source: 'registry' });
    } finally {
      await service.stop();
      await upgraded.drop();
    }
  });
});
