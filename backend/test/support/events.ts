import { Client } from 'pg';
import { open } from '../../src/platform/bus';

export interface StoredEvent {
  scope_key: string;
  /** The envelope's payload as a plain object (protobuf-es's `$typeName` left out). */
  payload: Record<string, unknown>;
}

/** The events of a topic in the outbox, oldest first, decoded from their protobuf envelopes. */
export async function outboxEvents(ownerUrl: string, topic: string): Promise<StoredEvent[]> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ scope_key: string; envelope: Buffer }>(`SELECT scope_key, envelope FROM outbox WHERE topic = $1 ORDER BY seq`, [topic]);
    return rows.map((row) => {
      const { $typeName: _type, ...payload } = open(row.envelope).payload.value as Record<string, unknown> & { $typeName: string };
      return { scope_key: row.scope_key, payload };
    });
  } finally {
    await client.end();
  }
}

/**
 * Waits for `check` to hold, polling every 100 ms; fails naming `what` after `ms`. `what` may be a function, read
 * only then, to say what the checks last saw.
 */
export async function until(check: () => boolean | Promise<boolean>, ms: number, what: string | (() => string)): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
