import { Router } from 'express';
import swaggerUi from 'swagger-ui-express';

export const OPENAPI_PATH = '/api/openapi.json';

/** Serves the generated document and Swagger UI, which loads the document from OPENAPI_PATH. */
export function docsRouter(document: object): Router {
  const router = Router();
  router.get(OPENAPI_PATH, (_req, res) => {
    res.json(document);
  });
  router.use('/api/docs', swaggerUi.serve, swaggerUi.setup(undefined, { swaggerOptions: { url: OPENAPI_PATH } }));
  return router;
}
