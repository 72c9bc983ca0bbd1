import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from './zod';

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:spendcast:problem:validation-failed' }),
    title: z.string().openapi({ example: 'Bad Request' }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string(),
    code: z.string().openapi({ description: 'Stable machine-readable error code.', example: 'VALIDATION_FAILED' }),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'The failing fields of a VALIDATION_FAILED problem.' }),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details.' });

export function createOpenApiRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.register('Problem', ProblemSchema);
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  return registry;
}

export function generateOpenApiDocument(registry: OpenAPIRegistry, version: string) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Spendcast API',
      version,
      description: 'Self-hostable expense tracking with forecasts. Errors are RFC 9457 problem+json with a stable `code`.',
    },
  });
}
