export { createLogger } from './logger';
export type { Logger } from './logger';
export { currentRequestId, withRequestId } from './request-context';
