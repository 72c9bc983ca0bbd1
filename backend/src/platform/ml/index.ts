export { GrpcMlClient, type GrpcMlClientOptions } from './grpc-ml-client';
export { ML_UNAVAILABLE_REASONS, type AnomalyCandidate, type AnomalyVerdict, type Forecast, type MlAnswer, type MlClient, type MlUnavailable, type MlUnavailableReason, type SpendHistory } from './ml-client.port';
export { unconfiguredMlClient } from './unconfigured-ml-client';
