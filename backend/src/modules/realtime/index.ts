export { realtimeConsumer } from './realtime.consumer';
export { RealtimeGateway } from './realtime.gateway';
