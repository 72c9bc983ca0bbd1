// Starts a Kafka broker for code that cannot import kafka.mts: the backend's jest tests run CommonJS
// (backend/test/support/kafka-server.ts). `node kafka-broker.mts <TEST_KAFKA_HOME> <dir> <port>
// <controller port>` prints {"pid": …} once the broker serves clients and leaves it running; the
// caller stops it. Run again with the same arguments, it restarts the broker with its topics.
import { startBroker } from './kafka.mts';

const [home, dir, port, controllerPort] = process.argv.slice(2);
if (!home || !dir || !port || !controllerPort) {
  process.stderr.write('usage: node kafka-broker.mts <kafka home> <dir> <port> <controller port>\n');
  process.exit(2);
}
const pid = await startBroker(home, { dir, port: Number(port), controllerPort: Number(controllerPort) });
process.stdout.write(`${JSON.stringify({ pid })}\n`);
