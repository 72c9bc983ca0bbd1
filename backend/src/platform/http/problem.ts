import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Request } from 'express';
import { AppError, MalformedJson, PayloadTooLarge, UnsupportedMediaType } from './errors';
import type { Logger } from '../logging';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  [extension: string]: unknown;
}

export function problemType(code: string): string {
  return `urn:spendcast:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

export function toProblem(error: AppError, req?: Request): ProblemDocument {
  return {
    ...error.extensions,
    type: problemType(error.code),
    title: STATUS_CODES[error.status] ?? 'Error',
    status: error.status,
    detail: error.message,
    code: error.code,
    instance: req?.originalUrl,
    requestId: typeof req?.id === 'string' ? req.id : undefined,
  };
}

/** body-parser signals its failures with a `type`; give each a stable code of ours. */
function fromBodyParser(error: unknown): AppError | undefined {
  if (typeof error !== 'object' || error === null || !('type' in error)) return undefined;
  const failure = error as { type: unknown; limit?: number; charset?: string; encoding?: string };
  switch (failure.type) {
    case 'entity.parse.failed':
      return new MalformedJson();
    case 'entity.too.large':
      return new PayloadTooLarge(failure.limit ?? 0);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new UnsupportedMediaType(failure.charset ?? failure.encoding ?? 'this encoding');
    default:
      return undefined;
  }
}

class InternalError extends AppError {
  readonly code = 'INTERNAL_ERROR';
  readonly status = 500;
  constructor() {
    super('An unexpected error occurred. Quote the request id when you report it.');
  }
}

/** The one place errors become responses: known errors keep their code, others turn into a bare 500. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const known = error instanceof AppError ? error : fromBodyParser(error);
    if (!known) (req.log ?? logger).error({ err: error, requestId: req.id }, 'unhandled error');
    const answered = known ?? new InternalError();
    const problem = toProblem(answered, req);
    res.set(answered.headers).status(problem.status).type(PROBLEM_CONTENT_TYPE).json(problem);
  };
}
