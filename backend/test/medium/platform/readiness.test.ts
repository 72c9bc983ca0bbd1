import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { UserEntity } from '../../../src/modules/users';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor } from '../../support/database';
import { createStoppableDatabase, type StoppableDatabase } from '../../support/stoppable-database';

async function eventually(check: () => Promise<void>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

describe(`readiness when the database goes away (${flavor})`, () => {
  let database: StoppableDatabase;
  let product: TestApp;

  beforeAll(async () => {
    database = await createStoppableDatabase();
    product = await startTestApp({}, database);
  });

  afterAll(async () => {
    await product.close();
    await database.drop();
  });

  it('answers 200, then 503 naming the database while it is stopped, then 200 once it is back with its data', async () => {
    const id = randomUUID();
    const { transactions } = product.runtime;
    await transactions.run({ userId: id }, () => transactions.manager().getRepository(UserEntity).insert({ id, email: `${id}@example.com` }));
    await request(product.app).get('/readyz').expect(200);

    await database.stop();
    const down = await request(product.app).get('/readyz').expect(503);
    expect(down.body).toMatchObject({ status: 'unavailable', checks: { database: { status: 'down' } } });
    await request(product.app).get('/healthz').expect(200);

    await database.start();
    await eventually(async () => void (await request(product.app).get('/readyz').expect(200)));
    const kept = await transactions.run({ userId: id }, () => transactions.manager().getRepository(UserEntity).findOneBy({ id }));
    expect(kept?.email).toBe(`${id}@example.com`);
  });
});
