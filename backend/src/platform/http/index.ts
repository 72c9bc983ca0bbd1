export { ApiRouter } from './api-router';
export type { Access, Actor, Authenticator, Reply, RouteSpec } from './api-router';
export { createHttpApp } from './create-app';
export type { HttpOptions } from './create-app';
export * from './errors';
export { PROBLEM_CONTENT_TYPE, problemHandler, toProblem } from './problem';
export type { ProblemDocument } from './problem';
export { rateLimiter } from './rate-limit';
export { REQUEST_ID_HEADER } from './request-id';
