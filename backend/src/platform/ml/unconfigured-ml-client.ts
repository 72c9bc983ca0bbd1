import type { MlClient, MlUnavailable } from './ml-client.port';

const NOT_CONFIGURED: MlUnavailable = { available: false, reason: 'NOT_CONFIGURED', message: 'Forecasting is not set up on this server (ML_GRPC_URL).' };

/** Without ML_GRPC_URL: every question gets the same honest answer, and nothing waits. */
export const unconfiguredMlClient: MlClient = {
  forecast: async () => NOT_CONFIGURED,
  detectAnomalies: async () => NOT_CONFIGURED,
  close: () => undefined,
};
