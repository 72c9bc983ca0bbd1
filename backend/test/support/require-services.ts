// Medium tests need the real servers `npm test` starts (scripts/test.mts). Run outside it, they
// fail here with the reason instead of failing later in confusing ways.
const required = ['TEST_DB_FLAVOR', 'REDIS_URL', 'S3_ENDPOINT', 'SMTP_URL', 'KAFKA_BROKERS', 'TEST_KAFKA_HOME'];
const missing = required.filter((name) => !process.env[name]);
if (process.env.TEST_DB_FLAVOR === 'postgres' && !process.env.TEST_PG_ADMIN_URL) missing.push('TEST_PG_ADMIN_URL');
if (missing.length > 0) {
  throw new Error(`Medium tests run against real servers; missing ${missing.join(', ')}. Run them with \`npm test\` (or \`npm run services up\` and pass its variables).`);
}
