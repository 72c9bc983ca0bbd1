/**
 * Every error a client can see. Subclasses fix a stable `code` (the contract clients branch on)
 * and an HTTP status; the problem+json middleware turns them into RFC 9457 responses.
 */
export abstract class AppError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  /** Extra members of the problem document, e.g. the failing fields of a validation error. */
  readonly extensions: Record<string, unknown> = {};
  /** Response headers that belong with this error, e.g. WWW-Authenticate. */
  readonly headers: Record<string, string> = {};

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export interface FieldProblem {
  /** Where the value came from and its path, e.g. `body.amount` or `query.limit`. */
  field: string;
  message: string;
}

export class ValidationFailed extends AppError {
  readonly code = 'VALIDATION_FAILED';
  readonly status = 400;
  constructor(readonly fields: FieldProblem[]) {
    super(`The request is invalid: ${fields.map((field) => `${field.field}: ${field.message}`).join('; ')}`);
    this.extensions.errors = fields;
  }
}

export class MalformedJson extends AppError {
  readonly code = 'MALFORMED_JSON';
  readonly status = 400;
  constructor() {
    super('The request body is not valid JSON.');
  }
}

export class PayloadTooLarge extends AppError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  readonly status = 413;
  constructor(limitBytes: number) {
    super(`The request body is larger than the limit of ${limitBytes} bytes.`);
    this.extensions.limitBytes = limitBytes;
  }
}

export class UnsupportedMediaType extends AppError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  readonly status = 415;
  constructor(contentType: string) {
    super(`Content-Type ${contentType} is not accepted here.`);
  }
}

export class RouteNotFound extends AppError {
  readonly code = 'ROUTE_NOT_FOUND';
  readonly status = 404;
  constructor(method: string, path: string) {
    super(`There is no ${method} ${path}.`);
  }
}

export class RateLimited extends AppError {
  readonly code = 'RATE_LIMITED';
  readonly status = 429;
  constructor() {
    super('Too many requests; slow down and retry later.');
  }
}

export class ServiceUnavailable extends AppError {
  readonly code = 'SERVICE_UNAVAILABLE';
  readonly status = 503;
}

export class Unauthenticated extends AppError {
  readonly status = 401;
  constructor(
    readonly code: 'UNAUTHENTICATED' | 'TOKEN_INVALID' | 'TOKEN_EXPIRED' = 'UNAUTHENTICATED',
    message = 'Sign in first: this needs a bearer access token.',
  ) {
    super(message);
    this.headers['WWW-Authenticate'] = code === 'UNAUTHENTICATED' ? 'Bearer' : `Bearer error="invalid_token"`;
  }
}

export class OnboardingRequired extends AppError {
  readonly code = 'ONBOARDING_REQUIRED';
  readonly status = 403;
  constructor() {
    super('Finish onboarding first (POST /api/v1/me/onboarding).');
  }
}
