import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createModels, type Trainer, type TrainingJob } from '../../../src/modules/models';
import { Outbox } from '../../../src/platform/bus';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor, withClient } from '../../support/database';
import { given, type GivenUser } from '../../support/given';
import { MODEL_NAME, modelDirectory, SHIPPED_VERSION, TestBucket } from '../../support/models';

/**
 * Stands in for the Python pipeline, which takes minutes: keeps the CSV it was given and the version of
 * the serving model it was handed, and writes the shipped model's artifacts as a new version, scored
 * better than that model on the same series. `hold` keeps it training until released.
 */
let trainings = 0;

class PrebuiltTrainer implements Trainer {
  readonly csvs: string[] = [];
  readonly incumbents: string[] = [];
  hold: Promise<void> | undefined;
  started: () => void = () => {};

  async train(job: TrainingJob): Promise<void> {
    this.csvs.push(await readFile(job.csvFile, 'utf8'));
    const incumbent = JSON.parse(await readFile(path.join(job.incumbentDirectory!, 'metadata.json'), 'utf8')) as { version: string };
    this.incumbents.push(incumbent.version);
    this.started();
    await this.hold;
    await modelDirectory(`retrained-${++trainings}`, 0.5, job.outDirectory, { version: incumbent.version, maseMean: 0.6 });
  }
}

const bucket = new TestBucket();
let app: TestApp;
let alice: GivenUser;
let bob: GivenUser;
let groupId: string;

function retrainingOf(target: TestApp, trainer: Trainer) {
  const { runtime } = target;
  const config = { ...runtime.config.models, retrain: { ...runtime.config.models.retrain, billThreshold: 3 } };
  return createModels({ ...runtime, config, trainer, events: new Outbox(runtime.transactions) }).retraining;
}

/** First day of the month `monthsAgo` before the current one, at noon UTC. */
const monthsAgo = (months: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1, 12)).toISOString();
};

beforeAll(async () => {
  app = await startTestApp(bucket.env);
  const make = given(app.app);
  alice = await make.user({ groupName: 'Alice Household' });
  groupId = await make.groupOf(alice);
  bob = await make.user();
  for (const months of [3, 2, 1]) await make.bill(alice, { groupId, amount: '40.00', spentAt: monthsAgo(months) });
  await make.bill(bob, { amount: '12.50', spentAt: monthsAgo(2) });
  // This month is not over: it stays out of the export.
  await make.bill(bob, { amount: '99.00', spentAt: monthsAgo(0) });
});

afterAll(async () => {
  await app?.close();
  await bucket.drop();
});

describe(`retraining on the product's bills (${flavor})`, () => {
  it('exports the series anonymised, trains, and registers the model with its data window', async () => {
    const trainer = new PrebuiltTrainer();

    const result = await retrainingOf(app, trainer).retrain();

    expect(result).toEqual({ outcome: 'registered', model: { name: MODEL_NAME, version: 'retrained-1', status: 'active' }, series: 2, bills: 4 });
    expect(trainer.incumbents).toEqual([SHIPPED_VERSION]);
    const [csv] = trainer.csvs;
    const [header, ...lines] = csv!.trim().split('\n');
    expect(header).toBe('series_id,interval,period,amount');
    expect(lines).toHaveLength(5);
    expect(lines.filter((line) => line.endsWith(',4000'))).toHaveLength(3);
    expect(lines.filter((line) => line.endsWith(',1250'))).toHaveLength(1);
    // Bob's series ends a month early: a zero carries it to the last complete month.
    expect(lines.filter((line) => line.includes(`,${monthsAgo(1).slice(0, 10)},0`))).toHaveLength(1);
    for (const secret of [alice.id, bob.id, groupId, alice.email, bob.email, 'Alice Household', 'Groceries']) expect(csv).not.toContain(secret);

    const [row] = await withClient(app.database.ownerUrl, async (client) => (await client.query(`SELECT bill_count, data_cutoff FROM ml_models WHERE version = 'retrained-1'`)).rows);
    expect(row.bill_count).toBe(4);
    expect(row.data_cutoff.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await bucket.json(`models/${MODEL_NAME}/active.json`)).toEqual({ version: 'retrained-1' });
  });

  it('is not due until RETRAIN_BILL_THRESHOLD bills were created after the last export', async () => {
    const trainer = new PrebuiltTrainer();
    const retraining = retrainingOf(app, trainer);

    await given(app.app).bill(bob, { amount: '5.00', spentAt: monthsAgo(1) });
    expect(await retraining.retrainIfDue()).toEqual({ outcome: 'not-due', newBills: 1 });

    for (let i = 0; i < 2; i++) await given(app.app).bill(bob, { amount: '5.00', spentAt: monthsAgo(1) });
    expect(await retraining.retrainIfDue()).toMatchObject({ outcome: 'registered', model: { status: 'active' }, bills: 7 });
    expect(trainer.csvs).toHaveLength(1);
    // The model the first retraining promoted is the one the second had to beat.
    expect(trainer.incumbents).toEqual(['retrained-1']);
  });

  it('lets one retraining run at a time: another replica finds the lock taken', async () => {
    const trainer = new PrebuiltTrainer();
    let release!: () => void;
    trainer.hold = new Promise((resolve) => (release = resolve));
    const training = new Promise<void>((resolve) => (trainer.started = resolve));
    // PGlite serves one process from one session, where advisory locks are re-entrant: there the other
    // run comes from the same process, as it would with the embedded database; PostgreSQL gets a second replica.
    const replica = flavor === 'postgres' ? await startTestApp(bucket.env, app.database) : app;
    const retraining = retrainingOf(app, trainer);
    const other = replica === app ? retraining : retrainingOf(replica, new PrebuiltTrainer());
    try {
      const first = retraining.retrain();
      await training;

      expect(await other.retrain()).toEqual({ outcome: 'busy' });
      expect(await other.retrainIfDue()).toEqual({ outcome: 'busy' });

      release();
      expect(await first).toMatchObject({ outcome: 'registered' });
      // Released: the next run takes the lock.
      expect(await other.retrainIfDue()).toEqual({ outcome: 'not-due', newBills: 0 });
    } finally {
      release();
      if (replica !== app) await replica.close();
    }
  });
});
