export { realtimeConsumer } from './realtime.consumer';
export { CLOSE_CODES, PROTOCOL, REALTIME_PATH, RealtimeGateway } from './realtime.gateway';
export type { GatewayOptions } from './realtime.gateway';
