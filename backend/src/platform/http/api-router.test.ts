import type { Express } from 'express';
import request from 'supertest';
import { createLogger } from '../logging';
import { Metrics } from '../metrics';
import { createOpenApiRegistry, generateOpenApiDocument, z } from '../openapi';
import { ApiRouter } from './api-router';
import { createHttpApp } from './create-app';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { rateLimiter } from './rate-limit';

const ALLOWED_ORIGIN = 'https://app.example.com';
const BODY_LIMIT_BYTES = 1024;
const SECRET_MESSAGE = 'connection to db-primary:5432 failed for user spendcast_owner';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function buildTestApp(options: { rateLimitMax?: number } = {}): { app: Express; api: ApiRouter } {
  const api = new ApiRouter(createOpenApiRegistry());
  api.route({
    method: 'post',
    access: 'public',
    path: '/api/v1/echo/:id',
    summary: 'Echoes its validated input',
    tags: ['test'],
    params: z.object({ id: z.string().regex(/^\d+$/, 'must be digits') }),
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(10) }),
    body: z.object({ amount: z.number().positive(), note: z.string().max(20).optional() }),
    responses: { 201: { description: 'The input, as validated.', schema: z.object({ id: z.string(), limit: z.number(), amount: z.number() }) } },
    handler: ({ params, query, body }) => ({
      status: 201,
      body: { id: params.id, limit: query.limit, amount: body.amount, note: body.note ?? null },
      headers: { 'X-Echo': 'yes' },
    }),
  });
  api.route({
    method: 'get',
    access: 'public',
    path: '/api/v1/boom',
    summary: 'Always fails',
    tags: ['test'],
    responses: { 200: { description: 'Never.' } },
    handler: () => {
      throw new Error(SECRET_MESSAGE);
    },
  });
  const logger = createLogger('silent');
  const app = createHttpApp({
    logger,
    requestTimer: new Metrics().httpTimer(),
    corsOrigins: [ALLOWED_ORIGIN],
    bodyLimitBytes: BODY_LIMIT_BYTES,
    trustProxyHops: 0,
    apiRateLimit: rateLimiter({ max: options.rateLimitMax ?? 1000, windowMs: 60_000, logger }),
    routers: [api.router],
  });
  return { app, api };
}

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: { field: string; message: string }[];
}

function expectProblem(response: request.Response, status: number, code: string): Problem {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = response.body as Problem;
  expect(problem).toMatchObject({ status, code, type: `urn:spendcast:problem:${code.toLowerCase().replaceAll('_', '-')}` });
  expect(typeof problem.title).toBe('string');
  expect(typeof problem.detail).toBe('string');
  return problem;
}

describe('ApiRouter in the HTTP app', () => {
  const { app, api } = buildTestApp();

  describe('when the request is valid', () => {
    it('answers with the handler reply, status and headers', async () => {
      const response = await request(app).post('/api/v1/echo/42?limit=5').send({ amount: 12.5, note: 'lunch' });

      expect(response.status).toBe(201);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['x-echo']).toBe('yes');
      expect(response.body).toEqual({ id: '42', limit: 5, amount: 12.5, note: 'lunch' });
    });

    it('passes schema defaults to the handler when optional parts are absent', async () => {
      const response = await request(app).post('/api/v1/echo/7').send({ amount: 1 });

      expect(response.status).toBe(201);
      expect(response.body).toEqual({ id: '7', limit: 10, amount: 1, note: null });
    });
  });

  describe('when body, query and params are invalid', () => {
    it('answers 400 VALIDATION_FAILED problem+json listing every failing field with its source', async () => {
      const response = await request(app)
        .post('/api/v1/echo/abc?limit=1000')
        .set('X-Request-Id', 'validation-1')
        .send({ amount: -3, note: 'x'.repeat(21) });

      const problem = expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(problem.errors?.map((error) => error.field).sort()).toEqual(['body.amount', 'body.note', 'params.id', 'query.limit']);
      for (const error of problem.errors ?? []) expect(error.message).toEqual(expect.any(String));
      expect(problem.errors?.find((error) => error.field === 'params.id')?.message).toBe('must be digits');
      expect(problem.instance).toBe('/api/v1/echo/abc?limit=1000');
      expect(problem.requestId).toBe('validation-1');
    });

    it('answers 400 VALIDATION_FAILED naming the body when it is missing entirely', async () => {
      const response = await request(app).post('/api/v1/echo/1');

      const problem = expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(problem.errors?.map((error) => error.field)).toEqual(['body.amount']);
    });

    it('answers 400 VALIDATION_FAILED with the path of a field of the wrong type', async () => {
      const response = await request(app).post('/api/v1/echo/1').send({ amount: 'ten' });

      const problem = expectProblem(response, 400, 'VALIDATION_FAILED');
      expect(problem.errors).toEqual([{ field: 'body.amount', message: expect.any(String) }]);
    });
  });

  describe('when the body is malformed JSON', () => {
    it('answers 400 MALFORMED_JSON problem+json', async () => {
      const response = await request(app).post('/api/v1/echo/1').set('Content-Type', 'application/json').send('{"amount": 1,');

      expectProblem(response, 400, 'MALFORMED_JSON');
    });
  });

  describe('when the body is larger than bodyLimitBytes', () => {
    it('answers 413 PAYLOAD_TOO_LARGE problem+json with the limit', async () => {
      const response = await request(app)
        .post('/api/v1/echo/1')
        .send({ amount: 1, note: 'x'.repeat(BODY_LIMIT_BYTES * 2) });

      const problem = expectProblem(response, 413, 'PAYLOAD_TOO_LARGE');
      expect((problem as Problem & { limitBytes?: number }).limitBytes).toBe(BODY_LIMIT_BYTES);
    });
  });

  describe('when no route matches', () => {
    it('answers an unknown route with 404 ROUTE_NOT_FOUND problem+json', async () => {
      const response = await request(app).get('/api/v1/nothing-here');

      const problem = expectProblem(response, 404, 'ROUTE_NOT_FOUND');
      expect(problem.detail).toContain('GET /api/v1/nothing-here');
    });

    it('answers a known path with the wrong method with 404 ROUTE_NOT_FOUND', async () => {
      const response = await request(app).get('/api/v1/echo/1');

      expectProblem(response, 404, 'ROUTE_NOT_FOUND');
    });
  });

  describe('when a handler throws a plain Error', () => {
    it('answers 500 INTERNAL_ERROR whose body does not contain the error message', async () => {
      const response = await request(app).get('/api/v1/boom');

      const problem = expectProblem(response, 500, 'INTERNAL_ERROR');
      expect(response.text).not.toContain(SECRET_MESSAGE);
      expect(response.text).not.toContain('db-primary');
      expect(Object.keys(problem).sort()).toEqual(['code', 'detail', 'instance', 'requestId', 'status', 'title', 'type']); // no stack or cause
      expect(problem.requestId).toBe(response.headers['x-request-id']);
    });
  });

  describe('X-Request-Id', () => {
    it('echoes an acceptable id the client sent', async () => {
      const response = await request(app).get('/api/v1/nothing-here').set('X-Request-Id', 'client-id_1.2:3');

      expect(response.headers['x-request-id']).toBe('client-id_1.2:3');
      expect((response.body as Problem).requestId).toBe('client-id_1.2:3');
    });

    it('returns a generated id when the client sent none', async () => {
      const first = await request(app).post('/api/v1/echo/1').send({ amount: 1 });
      const second = await request(app).post('/api/v1/echo/1').send({ amount: 1 });

      expect(first.headers['x-request-id']).toMatch(UUID);
      expect(second.headers['x-request-id']).toMatch(UUID);
      expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
    });

    it.each([
      ['longer than 128 characters', 'a'.repeat(300)],
      ['containing forbidden characters', '<script>alert(1)</script>'],
      ['containing spaces', 'id with spaces'],
    ])('replaces an id %s with a generated one', async (_description, offered) => {
      const response = await request(app).get('/api/v1/nothing-here').set('X-Request-Id', offered);

      expect(response.headers['x-request-id']).toMatch(UUID);
      expect((response.body as Problem).requestId).toBe(response.headers['x-request-id']);
      expect(response.text).not.toContain('<script>');
    });
  });

  describe('CORS', () => {
    it('gives an allowed origin Access-Control-Allow-Origin and exposes X-Request-Id', async () => {
      const response = await request(app).post('/api/v1/echo/1').set('Origin', ALLOWED_ORIGIN).send({ amount: 1 });

      expect(response.status).toBe(201);
      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
      expect(response.headers['access-control-allow-credentials']).toBe('true');
      expect(response.headers['access-control-expose-headers']).toContain('X-Request-Id');
    });

    it('answers a preflight from an allowed origin', async () => {
      const response = await request(app)
        .options('/api/v1/echo/1')
        .set('Origin', ALLOWED_ORIGIN)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type');

      expect(response.status).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    });

    it('gives another origin no Access-Control-Allow-Origin', async () => {
      const response = await request(app).post('/api/v1/echo/1').set('Origin', 'https://evil.example.com').send({ amount: 1 });

      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('the OpenAPI document', () => {
    const document = generateOpenApiDocument(api.registry, 'test');

    it('lists the route under its OpenAPI path with params, query and JSON body', () => {
      const operation = document.paths?.['/api/v1/echo/{id}']?.post;

      expect(operation).toBeDefined();
      expect(operation?.summary).toBe('Echoes its validated input');
      expect(operation?.tags).toEqual(['test']);
      const parameters = (operation?.parameters ?? []) as { name: string; in: string }[];
      expect(parameters.map((parameter) => `${parameter.in}:${parameter.name}`).sort()).toEqual(['path:id', 'query:limit']);
      expect(operation?.requestBody).toMatchObject({ required: true, content: { 'application/json': { schema: expect.any(Object) } } });
      expect(operation?.responses?.['201']).toMatchObject({ description: 'The input, as validated.', content: { 'application/json': expect.any(Object) } });
    });

    it('documents a 400 problem response for a route with validated input', () => {
      const responses = document.paths?.['/api/v1/echo/{id}']?.post?.responses;

      expect(responses?.['400']).toEqual({
        description: 'The request is invalid.',
        content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
      });
      expect(responses?.['429']).toMatchObject({ content: { [PROBLEM_CONTENT_TYPE]: expect.any(Object) } });
      expect(responses?.default).toMatchObject({ content: { [PROBLEM_CONTENT_TYPE]: expect.any(Object) } });
      expect(document.components?.schemas?.Problem).toBeDefined();
    });

    it('documents no 400 for a route without validated input', () => {
      expect(document.paths?.['/api/v1/boom']?.get?.responses?.['400']).toBeUndefined();
    });
  });
});

describe('the API rate limiter', () => {
  describe('when a client exceeds max requests in the window', () => {
    it('answers the third request with 429 RATE_LIMITED problem+json', async () => {
      const { app } = buildTestApp({ rateLimitMax: 2 });

      const first = await request(app).post('/api/v1/echo/1').send({ amount: 1 });
      const second = await request(app).post('/api/v1/echo/1').send({ amount: 1 });
      const third = await request(app).post('/api/v1/echo/1').send({ amount: 1 });

      expect(first.status).toBe(201);
      expect(second.status).toBe(201);
      expectProblem(third, 429, 'RATE_LIMITED');
      expect(third.headers['ratelimit-policy']).toBeDefined();
    });
  });
});
