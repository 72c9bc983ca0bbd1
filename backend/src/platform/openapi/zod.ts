import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Adds `.openapi()` to zod schemas; every schema that reaches the document is built from this `z`.
extendZodWithOpenApi(z);

export { z };
