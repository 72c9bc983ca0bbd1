// Real servers on loopback for tests and benchmarks: PostgreSQL, Redis, MinIO, Kafka and an SMTP
// sink. Each is installed when missing (Debian packages, the Go module proxy, Maven Central), started
// on a free port in a throw-away directory, and stopped again by whoever started it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, chownSync, mkdirSync, openSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureKafka, startBroker } from './kafka.mts';
import { cacheDir, log, run, waitFor } from './util.mts';

/** What it takes to reach a server and to stop it later, possibly from another process. */
export interface ServiceHandle {
  name: string;
  /** Environment variables that point clients at this server. */
  env: Record<string, string>;
  pid?: number;
  postgres?: { bin: string; data: string };
  /** Throw-away directories removed when the server stops. */
  dirs: string[];
}

const isRoot = process.getuid?.() === 0;
let aptUpdated = false;

function aptInstall(...packages: string[]): void {
  if (!isRoot) throw new Error(`Install ${packages.join(', ')} (apt-get install ${packages.join(' ')}); this is not root`);
  if (!aptUpdated) {
    run('apt-get', ['update', '-qq']);
    aptUpdated = true;
  }
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((entry) => existsSync(path.join(root, entry, 'bin', 'postgres')));
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest ? path.join(root, newest, 'bin') : undefined;
}

function which(command: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

/** Installs whatever is missing (cheap when everything is there) and returns how to start each server. */
export function provision(): Record<string, () => Promise<ServiceHandle>> {
  if (!postgresBinDir()) aptInstall('postgresql', 'postgresql-contrib');
  if (!which('redis-server')) aptInstall('redis-server');
  if (!which('java') || !which('mvn')) aptInstall('openjdk-17-jre-headless', 'maven');
  const minio = ensureMinio();
  const kafkaHome = ensureKafka();
  return { postgres: startPostgres, redis: startRedis, minio: () => startMinio(minio), kafka: () => startKafka(kafkaHome), smtp: startSmtp };
}

function ensureMinio(): string {
  const gobin = cacheDir('bin');
  const binary = path.join(gobin, 'minio');
  if (existsSync(binary)) return binary;
  log('building MinIO from the Go module proxy (once; cached under ~/.cache/spendcast)…');
  const go = cacheDir('go');
  run('go', ['install', 'github.com/minio/minio@latest'], {
    env: { ...process.env, GOBIN: gobin, GOMODCACHE: path.join(go, 'mod'), GOCACHE: path.join(go, 'build'), GOFLAGS: '-buildvcs=false' },
  });
  return binary;
}

function runAsPostgres(command: string, args: string[]): void {
  // Debian's PostgreSQL refuses to run as root.
  if (isRoot) run('runuser', ['-u', 'postgres', '--', command, ...args]);
  else run(command, args);
}

export async function startPostgres(): Promise<ServiceHandle> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL is not installed');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spendcast-pg-'));
  const data = path.join(dir, 'data');
  mkdirSync(data);
  if (isRoot) {
    const owner = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const group = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    for (const target of [dir, data]) chownSync(target, Number(owner.stdout), Number(group.stdout));
  }
  const port = await freePort();
  runAsPostgres(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  // Durability settings off: these clusters live for one test run. A buffer pool sized as for a
  // server (PostgreSQL's default 128 MB is a placeholder), so the benchmarks' million-bill ledger is
  // read from it rather than copied in from the OS cache page by page.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300 -c shared_buffers=2GB`;
  runAsPostgres(path.join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', path.join(dir, 'server.log'), '-w', 'start']);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  log(`PostgreSQL ${path.basename(path.dirname(bin))} on ${url}`);
  return { name: 'postgres', env: { TEST_PG_ADMIN_URL: url, TEST_PGDATA: data, TEST_PG_BIN: bin, TEST_PG_OPTIONS: options }, postgres: { bin, data }, dirs: [dir] };
}

function daemon(name: string, command: string, args: string[], env: Record<string, string> = {}, logFile?: string): ChildProcess {
  const output = logFile ? openSync(logFile, 'a') : 'ignore';
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', output, output], detached: true });
  child.on('error', (error) => log(`${name} failed: ${error.message}`));
  child.unref();
  return child;
}

export async function startRedis(): Promise<ServiceHandle> {
  const port = await freePort();
  const child = daemon('redis', 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  // A raw PING: ioredis is a dependency of the backend workspace, not resolvable from scripts/.
  await waitFor(`Redis on ${port}`, () => redisPongs(port));
  log(`Redis on redis://127.0.0.1:${port}`);
  return { name: 'redis', env: { REDIS_URL: `redis://127.0.0.1:${port}` }, pid: child.pid, dirs: [] };
}

export async function startMinio(binary: string): Promise<ServiceHandle> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spendcast-minio-'));
  const [port, consolePort] = [await freePort(), await freePort()];
  const credentials = { MINIO_ROOT_USER: 'spendcast', MINIO_ROOT_PASSWORD: 'spendcast-secret' };
  const child = daemon('minio', binary, ['server', path.join(dir, 'data'), '--address', `127.0.0.1:${port}`, '--console-address', `127.0.0.1:${consolePort}`, '--quiet'], { ...credentials, MINIO_BROWSER: 'off' }, path.join(dir, 'minio.log'));
  const endpoint = `http://127.0.0.1:${port}`;
  await waitFor(`MinIO on ${port}`, async () => (await fetch(`${endpoint}/minio/health/ready`)).ok);
  log(`MinIO on ${endpoint}`);
  return {
    name: 'minio',
    env: { S3_ENDPOINT: endpoint, S3_ACCESS_KEY: credentials.MINIO_ROOT_USER, S3_SECRET_KEY: credentials.MINIO_ROOT_PASSWORD },
    pid: child.pid,
    dirs: [dir],
  };
}

export async function startKafka(home: string): Promise<ServiceHandle> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spendcast-kafka-'));
  const port = await freePort();
  const pid = await startBroker(home, { dir, port, controllerPort: await freePort() });
  log(`Kafka on 127.0.0.1:${port} (log in ${dir}/server.log)`);
  // TEST_KAFKA_HOME: fault tests start brokers of their own from the same jars.
  return { name: 'kafka', env: { KAFKA_BROKERS: `127.0.0.1:${port}`, TEST_KAFKA_HOME: home }, pid, dirs: [dir] };
}

export async function startSmtp(): Promise<ServiceHandle> {
  const maildir = mkdtempSync(path.join(os.tmpdir(), 'spendcast-mail-'));
  const port = await freePort();
  const script = path.join(import.meta.dirname, 'smtp-sink.mts');
  const child = daemon('smtp', process.execPath, [script, String(port), maildir]);
  await waitFor(`SMTP on ${port}`, () => smtpGreets(port));
  log(`SMTP sink on smtp://127.0.0.1:${port} (messages in ${maildir})`);
  return {
    name: 'smtp',
    env: { SMTP_URL: `smtp://127.0.0.1:${port}`, TEST_SMTP_MAILDIR: maildir },
    pid: child.pid,
    dirs: [maildir],
  };
}

/** True once the server answers PING with +PONG. */
function redisPongs(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.once('data', (reply) => {
      socket.end();
      resolve(reply.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
  });
}

/** True once the server sends its 220 greeting. */
function smtpGreets(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('data', (greeting) => {
      socket.end('QUIT\r\n');
      resolve(greeting.toString().startsWith('220'));
    });
    socket.once('error', () => resolve(false));
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The server's pid, for PostgreSQL the first line of its postmaster.pid (left behind if it was killed). */
function serverPid(handle: ServiceHandle): number | undefined {
  if (!handle.postgres) return handle.pid;
  const pidFile = path.join(handle.postgres.data, 'postmaster.pid');
  return existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : undefined;
}

/** The port clients reach the server on: from its URL, or from Kafka's bare host:port. */
function clientPort(handle: ServiceHandle): number | undefined {
  const address = Object.values(handle.env).find((value) => /^(\w+:\/\/)?[^/\s]*:\d+/.test(value));
  return address ? Number(new URL(address.includes('://') ? address : `tcp://${address}`).port) : undefined;
}

/** A kept server counts only while its process lives and its port answers (machines and sessions end). */
export async function isAlive(handle: ServiceHandle): Promise<boolean> {
  const pid = serverPid(handle);
  const port = clientPort(handle);
  return pid !== undefined && processAlive(pid) && port !== undefined && (await portOpen(port));
}

export async function stopService(handle: ServiceHandle): Promise<void> {
  if (handle.postgres) {
    try {
      runAsPostgres(path.join(handle.postgres.bin, 'pg_ctl'), ['-D', handle.postgres.data, '-m', 'fast', '-w', 'stop']);
    } catch (error) {
      log(`stopping PostgreSQL: ${(error as Error).message}`);
    }
  }
  const pid = handle.pid;
  if (pid !== undefined && processAlive(pid)) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 5_000;
    while (processAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    if (processAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  for (const dir of handle.dirs) rmSync(dir, { recursive: true, force: true });
}
