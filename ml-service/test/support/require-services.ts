// Medium tests read the model registry from a real MinIO and hear model.registered from a real Kafka.
// Run without them, they fail here with the reason instead of later in confusing ways.
const missing = ['S3_ENDPOINT', 'S3_ACCESS_KEY', 'S3_SECRET_KEY', 'KAFKA_BROKERS'].filter((name) => !process.env[name]);
if (missing.length > 0) {
  throw new Error(`Medium tests need MinIO and Kafka; missing ${missing.join(', ')}. Run \`npm run services up\` and pass its variables.`);
}
