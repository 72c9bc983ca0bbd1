// The floor under any write through an Express API: Express 5 parses a JSON body and runs one pg
// INSERT with the values it was sent, nothing else (no auth, validation, row-level security, events,
// logging). Run as its own process like the product, so the load generator and it share the machine as
// the product does. Prints its port on stdout once it listens.
//
//   node bench/lib/express-floor.mts <database URL> <pool size> <INSERT statement>
import type { AddressInfo } from 'node:net';
import express from 'express';
import pg from 'pg';

const [databaseUrl, poolSize, statement] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: databaseUrl, max: Number(poolSize) });
const app = express();
app.use(express.json());
app.post('/rows', async (req, res) => {
  await pool.query(statement!, (req.body as { values: unknown[] }).values);
  res.status(201).json({ stored: true });
});
const server = app.listen(0, '127.0.0.1', () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.on('SIGTERM', () => server.close(() => void pool.end()));
