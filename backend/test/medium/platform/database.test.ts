import { randomUUID } from 'node:crypto';
import { createDataSource, UnitOfWork } from '../../../src/platform/database';
import { UserEntity } from '../../../src/modules/users';
import { entities, migrations } from '../../../src/schema';
import { createTestDatabase, flavor, withClient, type TestDatabase } from '../../support/database';
import type { DataSource } from 'typeorm';

describe(`database (${flavor})`, () => {
  let database: TestDatabase;
  let app: DataSource;
  let transactions: UnitOfWork;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = createDataSource({ url: database.appUrl, poolSize: 4, entities, migrations });
    await app.initialize();
    transactions = new UnitOfWork(app);
  });

  afterAll(async () => {
    await app.destroy();
    await database.drop();
  });

  const users = () => transactions.manager().getRepository(UserEntity);

  async function createUser(email: string): Promise<string> {
    const id = randomUUID();
    await transactions.run({ userId: id }, () => users().insert({ id, email }));
    return id;
  }

  describe('row-level security as the app role', () => {
    it("shows user A's row to A and hides it from B", async () => {
      const alice = await createUser(`alice-${randomUUID()}@example.com`);
      const bob = await createUser(`bob-${randomUUID()}@example.com`);

      const seenByAlice = await transactions.run({ userId: alice }, () => users().find());
      const seenByBob = await transactions.run({ userId: bob }, () => users().find());

      expect(seenByAlice.map((user) => user.id)).toEqual([alice]);
      expect(seenByBob.map((user) => user.id)).toEqual([bob]);
    });

    it('shows no rows at all when app.user_id is not set', async () => {
      await createUser(`carol-${randomUUID()}@example.com`);

      const seen = await transactions.run({ userId: null }, () => users().count());

      expect(seen).toBe(0);
    });

    it("refuses to write a row for another user and leaves it untouched", async () => {
      const alice = await createUser(`alice-${randomUUID()}@example.com`);
      const mallory = await createUser(`mallory-${randomUUID()}@example.com`);

      const updated = await transactions.run({ userId: mallory }, () => users().update({ id: alice }, { firstName: 'pwned' }));
      const inserted = transactions.run({ userId: mallory }, () => users().insert({ id: randomUUID(), email: `x-${randomUUID()}@example.com` }));

      expect(updated.affected).toBe(0);
      await expect(inserted).rejects.toThrow(/row-level security/);
      const alicesRow = await transactions.run({ userId: alice }, () => users().findOneByOrFail({ id: alice }));
      expect(alicesRow.firstName).toBeNull();
    });

    it('keeps one request’s user out of the next request on the same pooled connection', async () => {
      const alice = await createUser(`alice-${randomUUID()}@example.com`);
      await transactions.run({ userId: alice }, () => users().find());

      const settingAfterwards = await app.query(`SELECT current_setting('app.user_id', true) AS value, current_user AS role`);

      expect(settingAfterwards[0].value ?? '').toBe('');
    });
  });

  if (flavor === 'postgres') {
    it('connects as a role that owns nothing and cannot bypass RLS', async () => {
      const [role] = await app.query(
        `SELECT r.rolname, r.rolsuper, r.rolbypassrls,
                (SELECT count(*)::int FROM pg_tables t WHERE t.tableowner = r.rolname) AS owned_tables
           FROM pg_roles r WHERE r.rolname = current_user`,
      );
      expect(role).toEqual({ rolname: 'spendcast_app', rolsuper: false, rolbypassrls: false, owned_tables: 0 });
    });

    it('shows the app role nothing outside a unit of work', async () => {
      await createUser(`dave-${randomUUID()}@example.com`);
      const [{ count }] = await app.query(`SELECT count(*)::int AS count FROM users`);
      expect(count).toBe(0);
    });
  }

  describe('schema', () => {
    it('has migrations that match the entities exactly', async () => {
      const owner = createDataSource({ url: database.ownerUrl, poolSize: 1, entities, migrations });
      await owner.initialize();
      try {
        const pending = await owner.driver.createSchemaBuilder().log();
        expect(pending.upQueries.map((query) => query.query)).toEqual([]);
      } finally {
        await owner.destroy();
      }
    });

    it('reverts every migration and applies them again', async () => {
      const scratch = await createTestDatabase();
      const owner = createDataSource({ url: scratch.ownerUrl, poolSize: 1, entities, migrations });
      await owner.initialize();
      try {
        for (let remaining = migrations.length; remaining > 0; remaining--) await owner.undoLastMigration();
        const tablesAfterDown = await withClient(scratch.ownerUrl, (client) =>
          client.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'typeorm_migrations'`),
        );
        expect(tablesAfterDown.rows).toEqual([]);

        const reapplied = await owner.runMigrations();
        expect(reapplied.map((migration) => migration.name)).toEqual(migrations.map((migration) => migration.name));
      } finally {
        await owner.destroy();
        await scratch.drop();
      }
    });
  });
});
