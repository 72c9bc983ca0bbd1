// `npm start`: builds the product and runs it on embedded defaults (or on the services the
// environment names). Stop with Ctrl-C; data stays under DATA_DIR (./data).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ensureTrainingVenv } from './lib/python.mts';
import { freePort } from './lib/services.mts';
import { log } from './lib/util.mts';

const root = path.resolve(import.meta.dirname, '..');

log('building…');
if (spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' }).status !== 0) process.exit(1);

const children: ChildProcess[] = [];
function start(script: string, env: NodeJS.ProcessEnv): void {
  const child = spawn(process.execPath, [path.join(root, script)], { cwd: root, stdio: 'inherit', env });
  children.push(child);
  // One part gone leaves a product that half works: stop the others and exit as the first one did.
  child.on('exit', (code, signal) => {
    for (const other of children) if (other.exitCode === null && other.signalCode === null) other.kill('SIGTERM');
    process.exitCode ??= code ?? (signal ? 1 : 0);
  });
}

const backendEnv: NodeJS.ProcessEnv = { ...process.env };
// ML_GRPC_URL names an ml-service running elsewhere. Without it, ml-service runs here as a child
// process rather than inside the backend: forecasting is CPU-bound (feature rows, onnxruntime) and
// would stall the API's event loop, and the backend reaches it over gRPC just as it reaches ml-service
// replicas in a cluster. It reads the backend's blob directory (or S3_*), so a model registered there
// serves; until one is, the model shipped in ml-service/models does. Loopback only, whatever HOST says.
if (!backendEnv.ML_GRPC_URL) {
  const grpcPort = await freePort();
  start('ml-service/dist/main.js', { ...process.env, HOST: '127.0.0.1', GRPC_PORT: String(grpcPort), METRICS_PORT: '0' });
  backendEnv.ML_GRPC_URL = `http://127.0.0.1:${grpcPort}`;
}
// The retraining job (RETRAIN_BILL_THRESHOLD) runs the Python trainer: give it the training virtualenv.
if (Number(backendEnv.RETRAIN_BILL_THRESHOLD ?? 0) > 0) backendEnv.TRAINING_PYTHON ??= ensureTrainingVenv();
start('backend/dist/main.js', backendEnv);

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => children.forEach((child) => child.kill(signal)));
