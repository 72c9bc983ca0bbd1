// Keeps the test servers running between test runs: `npm run services up|down|status`.
import { provision, stopService } from './lib/services.mts';
import { readKeptServices, writeKeptServices } from './lib/stack.mts';
import { log } from './lib/util.mts';

const command = process.argv[2] ?? 'status';

if (command === 'up') {
  const kept = await readKeptServices();
  const starters = provision();
  for (const [name, start] of Object.entries(starters)) {
    if (!kept.some((handle) => handle.name === name)) kept.push(await start());
  }
  writeKeptServices(kept);
  for (const handle of kept) log(`${handle.name}: ${JSON.stringify(handle.env)}`);
} else if (command === 'down') {
  for (const handle of await readKeptServices()) await stopService(handle);
  writeKeptServices([]);
  log('stopped the kept test servers');
} else if (command === 'status') {
  const kept = await readKeptServices();
  if (kept.length === 0) log('no kept test servers; `npm run services up` starts them');
  for (const handle of kept) log(`${handle.name}: ${JSON.stringify(handle.env)}`);
} else {
  log('usage: npm run services -- up|down|status');
  process.exitCode = 2;
}
