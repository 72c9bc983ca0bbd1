// The floor under any write through an Express API: Express 5 parses a JSON body and runs one pg
// INSERT with the values it was sent, nothing else (no auth, validation, row-level security, events,
// logging). Run as its own process like the product, so the load generator and it share the machine as
// the product does. Prints its port on stdout once it listens.
//
//   node bench/lib/express-floor.mts <database URL> <pool size> <INSERT statement>
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type Express from 'express';
import pg from 'pg';

// Express is the backend's dependency, not the repository root's: resolve it as the backend does, rather than
// count on npm hoisting it to the root node_modules.
const express = createRequire(path.join(import.meta.dirname, '../../backend/package.json'))('express') as typeof Express;

const [databaseUrl, poolSize, statement] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(poolSize) });
// An idle connection that breaks (the database restarting) is reported here; without a listener the event
// would kill the floor mid-run instead of failing only the requests that need the database.
pool.on('error', (error) => console.error('express-floor: idle database connection failed:', error.message));
const app = express();
app.use(express.json());
app.post('/rows', async (req, res) => {
  await pool.query(statement!, (req.body as { values: unknown[] }).values);
  res.status(201).json({ stored: true });
});
const server = app.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => server.close(() => void pool.end()));
