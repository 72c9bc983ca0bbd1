// Apache Kafka for tests and benchmarks. Maven Central is the only source of Kafka here, so the
// broker's jars come from there (once, cached), and each broker is one KRaft node, broker and
// controller in one JVM, on loopback, with its config, data and log in a directory of its own.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import path from 'node:path';
import { cacheDir, log, run } from './util.mts';

const kafkaVersion = '4.4.0';
// Kafka logs through SLF4J 1.x and depends on log4j-core, but not on the binding between them.
const log4jVersion = '2.25.5';

/** Downloads the broker's jars once; returns the directory that holds them in libs/ (TEST_KAFKA_HOME). */
export function ensureKafka(): string {
  const home = cacheDir('kafka', kafkaVersion);
  const libs = path.join(home, 'libs');
  if (existsSync(libs)) return home;
  log(`downloading Kafka ${kafkaVersion} from Maven Central (once; cached under ~/.cache/spendcast)…`);
  const pom = path.join(home, 'pom.xml');
  writeFileSync(pom, brokerPom());
  const partial = `${libs}.partial`;
  rmSync(partial, { recursive: true, force: true });
  run('mvn', [
    '--batch-mode', '--quiet', '--file', pom, `-Dmaven.repo.local=${cacheDir('m2')}`,
    'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${partial}`,
  ]);
  // Only a complete download gets the name that the check above looks for.
  renameSync(partial, libs);
  return home;
}

function brokerPom(): string {
  const dependency = (group: string, artifact: string, version: string) =>
    `<dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version></dependency>`;
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>spendcast</groupId><artifactId>kafka-broker</artifactId><version>${kafkaVersion}</version><packaging>pom</packaging>
  <dependencies>
    ${dependency('org.apache.kafka', 'kafka_2.13', kafkaVersion)}
    ${dependency('org.apache.logging.log4j', 'log4j-slf4j-impl', log4jVersion)}
  </dependencies>
</project>
`;
}

export interface KafkaBroker {
  /** Holds server.properties, the data and server.log; starting again from it keeps the topics. */
  dir: string;
  port: number;
  controllerPort: number;
}

/**
 * Starts the broker, formatting its storage the first time, and resolves with the JVM's pid once the
 * broker serves clients. The JVM runs detached: whoever holds the pid stops it (SIGTERM).
 */
export async function startBroker(home: string, broker: KafkaBroker): Promise<number> {
  const config = path.join(broker.dir, 'server.properties');
  const logFile = path.join(broker.dir, 'server.log');
  const java = (mainClass: string, args: string[]) => ['-Xmx512m', '-Dlog4j2.level=INFO', '-cp', path.join(home, 'libs', '*'), mainClass, ...args];
  const output = openSync(logFile, 'a');
  try {
    if (!existsSync(config)) {
      writeFileSync(config, serverProperties(broker));
      const clusterId = randomBytes(16).toString('base64url');
      run('java', java('kafka.tools.StorageTool', ['format', '--standalone', `--cluster-id=${clusterId}`, '--config', config]), { stdio: ['ignore', output, output] });
    }
    const child = spawn('java', java('kafka.Kafka', [config]), { stdio: ['ignore', output, output], detached: true });
    child.unref();
    const deadline = Date.now() + 60_000;
    while (!(await servesClients(broker.port))) {
      if (child.exitCode !== null) throw new Error(`Kafka exited with ${child.exitCode}; see ${logFile}`);
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`Kafka on ${broker.port} did not become ready within 60 s; see ${logFile}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return child.pid!;
  } finally {
    closeSync(output);
  }
}

function serverProperties({ dir, port, controllerPort }: KafkaBroker): string {
  const settings = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'controller.listener.names': 'CONTROLLER',
    'controller.quorum.bootstrap.servers': `127.0.0.1:${controllerPort}`,
    'log.dirs': path.join(dir, 'data'),
    // Internal topics want three replicas by default; one node holds one.
    'offsets.topic.replication.factor': 1,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    // The first consumer group creates the offsets topic; with the default 50 partitions it waits a second longer.
    'offsets.topic.num.partitions': 1,
    // A consumer group forms at once instead of waiting 3 s for more members.
    'group.initial.rebalance.delay.ms': 0,
    // The product creates its topics; a misspelt one must fail rather than appear.
    'auto.create.topics.enable': false,
  };
  return Object.entries(settings).map(([key, value]) => `${key}=${value}\n`).join('');
}

// Metadata v4 (Kafka 4 no longer answers v0–v3): length 15, api key 3, version 4, correlation id 1,
// null client id, then the body: no topics, no auto-creation.
const metadataRequest = Buffer.from([0, 0, 0, 15, 0, 3, 0, 4, 0, 0, 0, 1, 0xff, 0xff, 0, 0, 0, 0, 0]);

/** True once the broker's metadata lists a broker: itself, registered with its controller, so topics can be created. */
function servesClients(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    let reply = Buffer.alloc(0);
    const socket = connect(port, '127.0.0.1', () => socket.write(metadataRequest));
    socket.setTimeout(2_000, () => socket.destroy());
    socket.on('data', (chunk) => {
      reply = Buffer.concat([reply, chunk]);
      if (reply.length < 16) return;
      socket.destroy();
      // Length, correlation id, throttle time, then the number of brokers.
      resolve(reply.readInt32BE(12) > 0);
    });
    socket.once('error', () => resolve(false));
    socket.once('close', () => resolve(false));
  });
}
