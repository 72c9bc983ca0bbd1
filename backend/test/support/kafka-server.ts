import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/platform/net';

/** A Kafka broker of the test's own, which the test may stop and start again like an outage. */
export interface StoppableKafka {
  /** host:port, as KAFKA_BROKERS and kafkajs take it. */
  brokers: string;
  /** Stops the broker (SIGTERM, SIGKILL if it lingers); its topics and messages stay on disk. */
  stop(): Promise<void>;
  /** Starts it again on the same port from the same data; resolves once it serves clients. */
  start(): Promise<void>;
  /** Stops it for good and deletes its data. */
  remove(): Promise<void>;
}

// The test stack's own broker start (config, storage format, readiness), through its command-line
// entry: jest runs CommonJS and cannot import the scripts' ES modules.
const launcher = path.resolve(__dirname, '../../../scripts/lib/kafka-broker.mts');

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function terminate(pid: number): Promise<void> {
  if (!isRunning(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 10_000;
  while (isRunning(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (isRunning(pid)) process.kill(pid, 'SIGKILL');
}

/** Starts a single-node broker from the jars the test stack cached (TEST_KAFKA_HOME). */
export async function startStoppableKafka(): Promise<StoppableKafka> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'spendcast-test-kafka-'));
  const [port, controllerPort] = [await freePort(), await freePort()];
  const launch = async () => {
    const args = [launcher, process.env.TEST_KAFKA_HOME!, dir, String(port), String(controllerPort)];
    // Jest's NODE_OPTIONS (VM modules) are not for the launcher.
    const { stdout } = await promisify(execFile)(process.execPath, args, { env: { ...process.env, NODE_OPTIONS: '' } });
    return (JSON.parse(stdout) as { pid: number }).pid;
  };
  let pid = await launch();
  return {
    brokers: `127.0.0.1:${port}`,
    stop: () => terminate(pid),
    start: async () => {
      pid = await launch();
    },
    remove: async () => {
      await terminate(pid);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
