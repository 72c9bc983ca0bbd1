import { writeFileSync } from 'node:fs';
import { API_DOCUMENT_PATH, renderApiDocument } from './api-document';

// `npm run openapi -w backend`: regenerates the committed contract after a route changes.
void renderApiDocument().then((document) => {
  writeFileSync(API_DOCUMENT_PATH, document);
  process.stdout.write(`wrote ${API_DOCUMENT_PATH}\n`);
});
