// The Python side of the project (ml-service/training) runs in a virtualenv keyed by its requirements,
// so a kept machine installs them once and a changed pin gets a fresh environment.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cacheDir, log, run } from './util.mts';

const root = path.resolve(import.meta.dirname, '..', '..');
export const trainingDir = path.join(root, 'ml-service', 'training');
const requirements = path.join(trainingDir, 'requirements.txt');

/** The pins were chosen on Python 3.11; fall back to whatever python3 is when 3.11 is not installed. */
function basePython(): string {
  return spawnSync('python3.11', ['--version']).status === 0 ? 'python3.11' : 'python3';
}

/** Creates the training virtualenv when needed and returns its python executable. */
export function ensureTrainingVenv(): string {
  const hash = createHash('sha256').update(readFileSync(requirements)).digest('hex').slice(0, 12);
  const venv = path.join(cacheDir('venv'), hash);
  const python = path.join(venv, 'bin', 'python');
  // Written last: a directory without it is an install that was interrupted, so start over.
  const installed = path.join(venv, '.spendcast-installed');
  if (existsSync(installed)) return python;
  log(`creating the training virtualenv ${venv} (once per requirements.txt)…`);
  rmSync(venv, { recursive: true, force: true });
  run(basePython(), ['-m', 'venv', venv]);
  run(python, ['-m', 'pip', 'install', '--quiet', '--cache-dir', cacheDir('pip'), '-r', requirements]);
  writeFileSync(installed, `${new Date().toISOString()}\n`);
  return python;
}
