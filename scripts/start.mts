// `npm start`: builds the product and runs it on embedded defaults (or on the services the
// environment names). Stop with Ctrl-C; data stays under DATA_DIR (./data).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { log } from './lib/util.mts';

const root = path.resolve(import.meta.dirname, '..');

log('building…');
if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);

const backend = spawn(process.execPath, [path.join(root, 'backend', 'dist', 'main.js')], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => backend.kill(signal));
backend.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
