// Runs with whatever Node the machine has (20 here): makes sure dependencies, including the
// pinned Node 24 from the npm registry, are installed, then runs the given script on Node 24.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const node24 = path.join(root, 'node_modules', '.bin', 'node');
const stamp = path.join(root, 'node_modules', '.spendcast-install-stamp');
const lockfile = path.join(root, 'package-lock.json');

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// Reinstall only when the lockfile changed since the last install, so repeated runs start at once.
const wanted = existsSync(lockfile) ? readFileSync(lockfile, 'utf8') : '';
const installed = existsSync(stamp) ? readFileSync(stamp, 'utf8') : undefined;
if (!existsSync(node24) || installed !== wanted) {
  console.log('[spendcast] installing dependencies (npm ci)…');
  // onnxruntime-node ships its CPU binaries; its postinstall would try to download more.
  run('npm', ['ci', '--no-audit', '--no-fund'], { env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
  writeFileSync(stamp, wanted);
}

const [script, ...args] = process.argv.slice(2);
const env = { ...process.env, PATH: `${path.dirname(node24)}${path.delimiter}${process.env.PATH}` };
const child = spawn(node24, [script, ...args], { cwd: root, stdio: 'inherit', env });
// Pass stop signals on so the product and the test runner shut down cleanly.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
