// `npm run retrain` and `npm run models -- <command>`: the model registry's command line
// (backend/src/models-cli.ts) after a build, from the repository root so DATA_DIR (./data) is the one
// `npm start` uses. Retraining runs the Python trainer in the training virtualenv, made on first use.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureTrainingVenv } from './lib/python.mts';
import { log } from './lib/util.mts';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);

log('building…');
if (spawnSync('npm', ['run', 'build', '-w', 'proto', '-w', 'backend'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);

const env = { ...process.env };
if (args[0] === 'retrain') env.TRAINING_PYTHON ??= ensureTrainingVenv();
const result = spawnSync(process.execPath, [path.join(root, 'backend', 'dist', 'models-cli.js'), ...args], { cwd: root, stdio: 'inherit', env });
process.exit(result.status ?? 1);
