import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { open, seal, withOutbox } from '../../../src/platform/bus';
import { createTestDatabase, flavor, withClient, type TestDatabase } from '../../support/database';

const userJoined = (groupId: string) =>
  seal({ scopeKey: groupId, payload: { case: 'userJoined', value: { groupId, userId: randomUUID(), role: 'member' } } }, { eventId: randomUUID(), occurredAt: new Date() });

describe(`a change and its events in one statement (${flavor})`, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(() => database.drop());

  /** A scratch table for the change; temporary tables outlive the connection on PGlite's shared backend, so each test names and drops its own. */
  const withNotes = (name: string, work: (client: Client) => Promise<void>) =>
    withClient(database.ownerUrl, async (client) => {
      await client.query(`CREATE TEMPORARY TABLE ${name} (id int PRIMARY KEY, body text NOT NULL)`);
      try {
        await work(client);
      } finally {
        await client.query(`DROP TABLE ${name}`);
      }
    });

  const appended = async (client: Client, groupId: string) =>
    (await client.query<{ envelope: Buffer }>(`SELECT envelope FROM outbox WHERE scope_key = $1 ORDER BY seq`, [groupId])).rows.map((row) => open(row.envelope).eventId);

  it('writes the change and appends the events, in order, numbering their parameters after the statement’s', async () => {
    await withNotes('written_notes', async (client) => {
      const groupId = randomUUID();
      const events = [userJoined(groupId), userJoined(groupId)];

      const { sql, parameters } = withOutbox(`INSERT INTO written_notes (id, body) VALUES ($1, $2)`, [1, 'first'], events);
      await client.query(sql, parameters);

      expect((await client.query(`SELECT id, body FROM written_notes`)).rows).toEqual([{ id: 1, body: 'first' }]);
      expect(await appended(client, groupId)).toEqual(events.map((event) => event.eventId));
    });
  });

  it('appends nothing when the change fails', async () => {
    await withNotes('refused_notes', async (client) => {
      await client.query(`INSERT INTO refused_notes (id, body) VALUES (1, 'taken')`);
      const groupId = randomUUID();

      const { sql, parameters } = withOutbox(`INSERT INTO refused_notes (id, body) VALUES ($1, $2)`, [1, 'again'], [userJoined(groupId)]);

      await expect(client.query(sql, parameters)).rejects.toThrow(/duplicate key/);
      expect(await appended(client, groupId)).toEqual([]);
    });
  });
});
