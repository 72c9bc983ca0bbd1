export { createOpaqueToken, hashToken, readOpaqueToken } from './opaque-token';
export type { OpaqueToken } from './opaque-token';
