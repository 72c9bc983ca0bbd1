// The contracts shared by the backend and ml-service, generated from the .proto files beside src/.
export * from './gen/spendcast/events/v1/events_pb.js';
export * from './gen/spendcast/ml/v1/forecaster_pb.js';
export * from './grpc.js';
