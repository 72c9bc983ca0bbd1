import { writeFileSync } from 'node:fs';
import { API_DOCUMENT_PATH, renderApiDocument } from './api-document';

// `npm run openapi -w backend`: regenerates the committed contract after a route changes.
writeFileSync(API_DOCUMENT_PATH, renderApiDocument());
process.stdout.write(`wrote ${API_DOCUMENT_PATH}\n`);
