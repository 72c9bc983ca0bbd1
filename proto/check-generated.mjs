// `npm run check -w proto`: lints the .proto files and fails when the committed TypeScript in src/gen
// is not what buf generates from them now (someone edited a .proto and forgot `npm run generate`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const here = import.meta.dirname;

function buf(...args) {
  const result = spawnSync('buf', args, { cwd: here, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function files(dir, prefix = '') {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full, path.join(prefix, name)) : [path.join(prefix, name)];
  });
}

buf('lint');
const fresh = mkdtempSync(path.join(os.tmpdir(), 'spendcast-proto-'));
try {
  buf('generate', '--output', fresh);
  const committed = path.join(here, 'src', 'gen');
  const generated = path.join(fresh, 'src', 'gen');
  const names = new Set([...files(committed), ...files(generated)]);
  const stale = [...names].filter((name) => {
    const read = (root) => {
      try {
        return readFileSync(path.join(root, name), 'utf8');
      } catch {
        return undefined;
      }
    };
    return read(committed) !== read(generated);
  });
  if (stale.length > 0) {
    console.error(`proto/src/gen is stale (run \`npm run generate -w proto\`): ${stale.join(', ')}`);
    process.exit(1);
  }
  console.log('proto/src/gen matches the .proto files');
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
