import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';
import { API_DOCUMENT_PATH, describeApi, renderApiDocument } from './api-document';

describe('the committed OpenAPI document', () => {
  it('matches the routes in the code (regenerate with `npm run openapi -w backend`)', async () => {
    expect(readFileSync(API_DOCUMENT_PATH, 'utf8')).toBe(await renderApiDocument());
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const document = await describeApi();
    expect(document.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });
});
