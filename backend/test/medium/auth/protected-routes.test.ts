import request from 'supertest';
import { describeApi } from '../../../src/api-document';
import { startTestApp, type TestApp } from '../../support/app';
import { flavor } from '../../support/database';

type Operation = { security?: unknown[] };

describe(`every route that needs a user (${flavor})`, () => {
  let product: TestApp;
  let protectedRoutes: Array<[string, string]>;

  beforeAll(async () => {
    product = await startTestApp();
    const document = (await describeApi()) as unknown as { paths: Record<string, Record<string, Operation>> };
    protectedRoutes = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations)
        .filter(([, operation]) => operation.security !== undefined)
        .map(([method]) => [method, path.replaceAll(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000')] as [string, string]),
    );
  });

  afterAll(() => product.close());

  it('is documented as needing a bearer token (at least the account routes)', () => {
    expect(protectedRoutes).toEqual(expect.arrayContaining([['get', '/api/v1/me'], ['post', '/api/v1/groups']]));
  });

  it('answers 401 UNAUTHENTICATED without a token, before validating anything', async () => {
    for (const [method, path] of protectedRoutes) {
      const response = await request(product.app)[method as 'get'](path).send({});
      expect({ method, path, status: response.status, code: response.body.code }).toEqual({ method, path, status: 401, code: 'UNAUTHENTICATED' });
    }
  });
});
