export { createOpenApiRegistry, generateOpenApiDocument, ProblemSchema } from './document';
export { docsRouter, OPENAPI_PATH } from './docs.routes';
export { z } from './zod';
export type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
