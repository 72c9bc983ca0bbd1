export type { Cache } from './cache.port';
export { MemoryCache } from './memory-cache';
export { RedisCache } from './redis-cache';
export { ScopedAnswers } from './scoped-answers';
export type { DataScope } from './scoped-answers';
