import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createModels, type ModelRegistryService } from '../../../src/modules/models';
import type { BlobStore } from '../../../src/platform/blob';
import { Outbox } from '../../../src/platform/bus';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor, withClient } from '../../support/database';
import { outboxEvents } from '../../support/events';
import { MODEL_NAME, modelDirectory, SHIPPED, SHIPPED_MASE, SHIPPED_VERSION, TestBucket } from '../../support/models';

const bucket = new TestBucket();
let app: TestApp;

function registryWith(blobs: BlobStore = app.runtime.blobs): ModelRegistryService {
  const { runtime } = app;
  return createModels({ ...runtime, blobs, config: runtime.config.models, events: new Outbox(runtime.transactions) }).registry;
}

const rows = () =>
  withClient(app.database.ownerUrl, async (client) => (await client.query(`SELECT version, status, promoted_at IS NOT NULL AS promoted FROM ml_models ORDER BY created_at`)).rows);
const pointer = async () => ((await bucket.keys(`models/${MODEL_NAME}/active.json`)).length > 0 ? bucket.json(`models/${MODEL_NAME}/active.json`) : undefined);
const registeredEvents = async () => (await outboxEvents(app.database.ownerUrl, 'model.registered')).map((event) => event.payload);
const shipped = { version: SHIPPED_VERSION, maseMean: SHIPPED_MASE };

/** A model's metadata as a release before the current feature spec wrote it. */
const withOlderFeatures = (metadata: unknown) => {
  const { featureSpecVersion, ...rest } = metadata as { featureSpecVersion: number };
  return { ...rest, featureSpecVersion: featureSpecVersion - 1 };
};

/** The serving model's files as the registry hands them to the trainer, and which version it says they are. */
async function servingCopy() {
  const directory = path.join(await mkdtemp(path.join(os.tmpdir(), 'spendcast-incumbent-')), 'incumbent');
  const model = await registryWith().copyServingModel(MODEL_NAME, directory);
  const metadata = JSON.parse(await readFile(path.join(directory, 'metadata.json'), 'utf8')) as { version: string };
  return { model, metadataVersion: metadata.version, onnx: await readFile(path.join(directory, 'model.onnx')) };
}

beforeAll(async () => {
  app = await startTestApp(bucket.env);
});

afterAll(async () => {
  await app?.close();
  await bucket.drop();
});

describe(`the model registry (${flavor}, MinIO)`, () => {
  it('hands the trainer the shipped model to backtest while nothing is active', async () => {
    const copy = await servingCopy();

    expect(copy).toMatchObject({ model: { name: MODEL_NAME, version: SHIPPED_VERSION }, metadataVersion: SHIPPED_VERSION });
    expect(copy.onnx.equals(await readFile(path.join(SHIPPED, 'model.onnx')))).toBe(true);
  });

  it('uploads a model directory, records its row and appends model.registered in one go', async () => {
    const model = await registryWith().register(await modelDirectory('2026.12.01', SHIPPED_MASE, undefined, shipped));

    // Only as good as the shipped model on the same series: registered, not promoted.
    expect(model).toEqual({ name: MODEL_NAME, version: '2026.12.01', status: 'candidate' });
    expect(await bucket.keys(`models/${MODEL_NAME}/2026.12.01/`)).toEqual(
      ['backtest.png', 'metadata.json', 'model.onnx', 'report.json', 'report.md'].map((file) => `models/${MODEL_NAME}/2026.12.01/${file}`),
    );
    const [row] = await withClient(app.database.ownerUrl, async (client) => (await client.query(`SELECT * FROM ml_models`)).rows);
    expect(row).toMatchObject({ name: MODEL_NAME, version: '2026.12.01', status: 'candidate', series_count: 5400, bill_count: null, data_cutoff: null, promoted_at: null });
    expect(row.data_from).toBeInstanceOf(Date);
    expect(row.metrics.month.overall).toMatchObject({ maseMean: expect.any(Number), wape: expect.any(Number), coverage: expect.any(Number), meanWidth: expect.any(Number) });
    expect(Object.keys(row.metrics.month.byHorizon)).toEqual(['1', '2', '3']);
    expect(Object.keys(row.metrics).sort()).toEqual(['month', 'week']);
    expect(await registeredEvents()).toEqual([{ name: MODEL_NAME, version: '2026.12.01', status: 'candidate', artifactKey: `models/${MODEL_NAME}/2026.12.01/model.onnx` }]);
    expect(await pointer()).toBeUndefined();
  });

  it('refuses a version that is already registered, leaving its objects alone', async () => {
    await expect(registryWith().register(await modelDirectory('2026.12.01', 0.1))).rejects.toMatchObject({ code: 'MODEL_VERSION_EXISTS' });
    expect(await bucket.keys(`models/${MODEL_NAME}/2026.12.01/`)).toHaveLength(5);
    expect(await rows()).toHaveLength(1);
  });

  it('leaves no row, no object and no event when an upload fails midway', async () => {
    const { blobs } = app.runtime;
    let puts = 0;
    // MinIO rejecting the third object, as when it runs out of space or the connection drops.
    const failing: BlobStore = Object.assign(Object.create(blobs) as BlobStore, {
      put: async (key: string, body: Buffer, contentType: string) => {
        if (++puts === 3) throw new Error('connection reset');
        await blobs.put(key, body, contentType);
      },
    });

    await expect(registryWith(failing).register(await modelDirectory('2026.12.02', 0.5))).rejects.toThrow('connection reset');

    expect(await bucket.keys(`models/${MODEL_NAME}/2026.12.02/`)).toEqual([]);
    expect((await rows()).map((row) => row.version)).toEqual(['2026.12.01']);
    expect(await registeredEvents()).toHaveLength(1);
    expect(await pointer()).toBeUndefined();
  });

  it('promotes a model that beats the shipped one on the same series, writing active.json', async () => {
    expect(await registryWith().register(await modelDirectory('2026.12.03', 0.7, undefined, shipped))).toMatchObject({ status: 'active' });

    expect(await pointer()).toEqual({ version: '2026.12.03' });
    expect((await rows()).find((row) => row.version === '2026.12.03')).toEqual({ version: '2026.12.03', status: 'active', promoted: true });
    expect((await registeredEvents()).at(-1)).toMatchObject({ version: '2026.12.03', status: 'active' });
  });

  it('keeps the active model when a candidate scores worse than it on the same series', async () => {
    expect(await registryWith().register(await modelDirectory('2026.12.04', 0.75, undefined, { version: '2026.12.03', maseMean: 0.7 }))).toMatchObject({ status: 'candidate' });
    expect(await pointer()).toEqual({ version: '2026.12.03' });
  });

  it('replaces the active model with a better one and retires the old', async () => {
    expect(await registryWith().register(await modelDirectory('2026.12.05', 0.6, undefined, { version: '2026.12.03', maseMean: 0.7 }))).toMatchObject({ status: 'active' });

    expect(await pointer()).toEqual({ version: '2026.12.05' });
    expect(await rows()).toEqual([
      { version: '2026.12.01', status: 'candidate', promoted: false },
      { version: '2026.12.03', status: 'retired', promoted: true },
      { version: '2026.12.04', status: 'candidate', promoted: false },
      { version: '2026.12.05', status: 'active', promoted: true },
    ]);
  });

  it('hands the trainer the active model to backtest once there is one', async () => {
    const copy = await servingCopy();

    expect(copy).toMatchObject({ model: { name: MODEL_NAME, version: '2026.12.05' }, metadataVersion: '2026.12.05' });
  });

  it('keeps as a candidate a model whose backtest scored a model that no longer serves, however well it did', async () => {
    expect(await registryWith().register(await modelDirectory('2026.12.07', 0.1, undefined, { version: '2026.12.03', maseMean: 0.7 }))).toMatchObject({ status: 'candidate' });
    expect(await pointer()).toEqual({ version: '2026.12.05' });
  });

  it('keeps as a candidate a model whose backtest scored no incumbent: scores from different series are not compared', async () => {
    expect(await registryWith().register(await modelDirectory('2026.12.08', 0.1))).toMatchObject({ status: 'candidate' });
    expect(await pointer()).toEqual({ version: '2026.12.05' });
  });

  it('records a model whose backtest scored nothing as failed, and never promotes it', async () => {
    expect(await registryWith().register(await modelDirectory('2026.12.06', null))).toMatchObject({ status: 'failed' });
    await expect(registryWith().promote(MODEL_NAME, '2026.12.06')).rejects.toMatchObject({ code: 'MODEL_NOT_PROMOTABLE' });
    expect(await pointer()).toEqual({ version: '2026.12.05' });
  });

  it('promotes a registered version on request, whatever its backtest, and tells ml-service', async () => {
    await registryWith().promote(MODEL_NAME, '2026.12.04');

    expect(await pointer()).toEqual({ version: '2026.12.04' });
    expect((await rows()).filter((row) => row.status === 'active').map((row) => row.version)).toEqual(['2026.12.04']);
    expect((await registeredEvents()).at(-1)).toMatchObject({ version: '2026.12.04', status: 'active' });
  });

  it('refuses to promote a version nobody registered', async () => {
    await expect(registryWith().promote(MODEL_NAME, '1999.01.01')).rejects.toMatchObject({ code: 'MODEL_NOT_FOUND' });
  });

  it('refuses to promote a version trained on other features than this release computes', async () => {
    const older = await modelDirectory('2026.10.01');
    await writeFile(path.join(older, 'metadata.json'), JSON.stringify(withOlderFeatures(JSON.parse(await readFile(path.join(older, 'metadata.json'), 'utf8')))));
    await registryWith().register(older);

    await expect(registryWith().promote(MODEL_NAME, '2026.10.01')).rejects.toMatchObject({ code: 'MODEL_NOT_FEEDABLE' });
    expect(await pointer()).toEqual({ version: '2026.12.04' });
  });

  it('treats the shipped model as serving while the active one was trained on other features (promoted before an upgrade changed them)', async () => {
    await registryWith().register(await modelDirectory('2026.11.01'));
    await registryWith().promote(MODEL_NAME, '2026.11.01');
    // The upgrade: this release computes other features than the promoted model was trained on.
    const key = `models/${MODEL_NAME}/2026.11.01/metadata.json`;
    await app.runtime.blobs.put(key, Buffer.from(JSON.stringify(withOlderFeatures(await bucket.json(key)))), 'application/json');

    expect(await servingCopy()).toMatchObject({ model: { name: MODEL_NAME, version: SHIPPED_VERSION }, metadataVersion: SHIPPED_VERSION });
    // So a retrained model that beats the shipped one on the same series takes over by itself.
    expect(await registryWith().register(await modelDirectory('2026.12.09', 0.5, undefined, shipped))).toMatchObject({ status: 'active' });
    expect(await pointer()).toEqual({ version: '2026.12.09' });
  });

  it('registers a new version as a candidate while the active one cannot be read, so an operator can promote it', async () => {
    await registryWith().register(await modelDirectory('2026.09.01'));
    await registryWith().promote(MODEL_NAME, '2026.09.01');
    await app.runtime.blobs.delete(`models/${MODEL_NAME}/2026.09.01/metadata.json`);

    expect(await registryWith().register(await modelDirectory('2026.09.02', 0.5))).toMatchObject({ status: 'candidate' });
    expect(await bucket.keys(`models/${MODEL_NAME}/2026.09.02/`)).toHaveLength(5);
    await registryWith().promote(MODEL_NAME, '2026.09.02');
    expect(await pointer()).toEqual({ version: '2026.09.02' });
  });
});
