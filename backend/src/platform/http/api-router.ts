import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { RouteConfig } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import { withRequestId } from '../logging';
import type { OpenAPIRegistry } from '../openapi';
import { OnboardingRequired, Unauthenticated, ValidationFailed, type FieldProblem } from './errors';
import { PROBLEM_CONTENT_TYPE } from './problem';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Schema = z.ZodType;
type ObjectSchema = z.ZodObject;
type Output<S> = S extends Schema ? z.output<S> : undefined;

/** The signed-in user a request acts for. */
export interface Actor {
  userId: string;
  onboarded: boolean;
}

/** Resolves the request's bearer token to an actor; throws Unauthenticated when it cannot. */
export type Authenticator = (req: Request) => Promise<Actor>;

/**
 * Who may call a route: anyone; any signed-in user (e.g. to finish onboarding); or users who
 * finished onboarding, which is every product route.
 */
export type Access = 'public' | 'signed-in' | 'onboarded';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ResponseSpec {
  description: string;
  schema?: Schema;
  /** Defaults to application/json when a schema is given. */
  contentType?: string;
}

export interface RouteSpec<
  P extends ObjectSchema | undefined,
  Q extends ObjectSchema | undefined,
  B extends Schema | undefined,
  A extends Access = Access,
> {
  method: Method;
  access: A;
  /** Express-style path, e.g. `/api/v1/bills/:id`; documented as `/api/v1/bills/{id}`. */
  path: string;
  summary: string;
  tags: string[];
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  responses: Record<number, ResponseSpec>;
  /** Middleware that runs first, e.g. a stricter rate limit for sign-in. */
  before?: RequestHandler[];
  /** Returns the reply, or undefined when the handler wrote the response itself (streams, text). */
  handler: (input: {
    params: Output<P>;
    query: Output<Q>;
    body: Output<B>;
    actor: A extends 'public' ? undefined : Actor;
    req: Request;
    res: Response;
  }) => Promise<Reply | undefined> | Reply | undefined;
}

const problemResponse = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
});

function parsePart(part: string, schema: Schema | undefined, value: unknown, problems: FieldProblem[]): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    problems.push({ field: [part, ...issue.path.map(String)].join('.'), message: issue.message });
  }
  return undefined;
}

/**
 * One declaration per endpoint: validates params, query and body with zod, documents the route in
 * OpenAPI from the same schemas, and sends the handler's reply. Routes stay a few lines each.
 */
export class ApiRouter {
  readonly router = Router();

  constructor(
    readonly registry: OpenAPIRegistry,
    private readonly authenticate: Authenticator = () => Promise.reject(new Unauthenticated()),
  ) {}

  route<
    P extends ObjectSchema | undefined = undefined,
    Q extends ObjectSchema | undefined = undefined,
    B extends Schema | undefined = undefined,
    A extends Access = Access,
  >(spec: RouteSpec<P, Q, B, A>): void {
    this.document(spec);
    // Units of work started by the handler record the request id (audit entries, event correlation).
    this.router[spec.method](spec.path, ...(spec.before ?? []), (req: Request, res: Response) =>
      withRequestId(typeof req.id === 'string' ? req.id : undefined, async () => {
        const actor = spec.access === 'public' ? undefined : await this.authenticate(req);
        if (spec.access === 'onboarded' && !actor?.onboarded) throw new OnboardingRequired();
        const problems: FieldProblem[] = [];
        const params = parsePart('params', spec.params, req.params, problems);
        const query = parsePart('query', spec.query, req.query, problems);
        const body = parsePart('body', spec.body, req.body ?? {}, problems);
        if (problems.length > 0) throw new ValidationFailed(problems);

        const reply = await spec.handler({ params, query, body, actor, req, res } as Parameters<typeof spec.handler>[0]);
        if (!reply) return;
        if (reply.headers) res.set(reply.headers);
        if (reply.body === undefined) res.status(reply.status).end();
        else res.status(reply.status).json(reply.body);
      }),
    );
  }

  private document(spec: RouteSpec<ObjectSchema | undefined, ObjectSchema | undefined, Schema | undefined>): void {
    const signedIn = spec.access !== 'public';
    const responses: RouteConfig['responses'] = {};
    for (const [status, response] of Object.entries(spec.responses)) {
      responses[status] = response.schema
        ? { description: response.description, content: { [response.contentType ?? 'application/json']: { schema: response.schema } } }
        : { description: response.description };
    }
    if (spec.params || spec.query || spec.body) responses['400'] ??= problemResponse('The request is invalid.');
    if (signedIn) responses['401'] ??= problemResponse('No valid access token.');
    if (spec.access === 'onboarded') responses['403'] ??= problemResponse('Forbidden, e.g. ONBOARDING_REQUIRED.');
    responses['429'] ??= problemResponse('Too many requests.');
    responses.default = problemResponse('An error, as RFC 9457 problem details.');

    this.registry.registerPath({
      method: spec.method,
      path: spec.path.replace(/:(\w+)/g, '{$1}'),
      summary: spec.summary,
      description: spec.description,
      tags: spec.tags,
      security: signedIn ? [{ bearer: [] }] : undefined,
      request: {
        params: spec.params,
        query: spec.query,
        body: spec.body ? { content: { 'application/json': { schema: spec.body } }, required: true } : undefined,
      },
      responses,
    });
  }
}
