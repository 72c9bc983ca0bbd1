// `npm test`: every check, in one run, against real servers it provisions itself.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ensureTrainingVenv, trainingDir } from './lib/python.mts';
import { startStack } from './lib/stack.mts';
import { log } from './lib/util.mts';

const root = path.resolve(import.meta.dirname, '..');
const results: Array<{ step: string; ok: boolean; seconds: number }> = [];

function step(name: string, command: string, args: string[], env: Record<string, string> = {}): void {
  log(`── ${name}`);
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  results.push({ step: name, ok: result.status === 0, seconds: (performance.now() - started) / 1000 });
}

step('build', 'npm', ['run', 'build']);
step('lint', 'npm', ['run', 'lint']);
step('type-check', 'npm', ['run', 'typecheck']);
step('generated contracts are current', 'npm', ['run', 'check', '--workspace', 'proto']);
step('unit tests', 'npm', ['run', 'test:unit', '--workspace', 'backend']);
step('ml-service unit tests', 'npm', ['run', 'test:unit', '--workspace', 'ml-service']);
step('training tests (Python)', ensureTrainingVenv(), ['-m', 'pytest', '-q', trainingDir]);

const stack = await startStack();
// Ctrl-C reaches the running step too; once it returns, stop the servers before leaving.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void stack.stop().then(() => process.exit(130)));
}
try {
  step('medium tests on PostgreSQL', 'npm', ['run', 'test:medium', '--workspace', 'backend'], { ...stack.env, TEST_DB_FLAVOR: 'postgres' });
  step('medium tests on embedded PGlite', 'npm', ['run', 'test:medium', '--workspace', 'backend'], { ...stack.env, TEST_DB_FLAVOR: 'pglite' });
  step('ml-service medium tests', 'npm', ['run', 'test:medium', '--workspace', 'ml-service'], stack.env);
} finally {
  await stack.stop();
}

log('── summary');
for (const result of results) log(`${result.ok ? 'passed' : 'FAILED'}  ${result.step} (${result.seconds.toFixed(1)} s)`);
const failed = results.filter((result) => !result.ok).length;
log(`${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
