// What every unary handler needs around its one service call: the caller's correlation id in the
// logs, the deadline, a status code per error, and the request metric.
import { type handleUnaryCall, type ServerUnaryCall, status as Status } from '@grpc/grpc-js';
import type { Logger } from './logger';
import type { Metrics } from './metrics';

/** The metadata key the backend sends its request id under; logs of both services then join on it. */
const CORRELATION_ID_KEY = 'x-correlation-id';

export class DeadlineExceeded extends Error {
  override readonly name = 'DeadlineExceeded';
}

export class Cancelled extends Error {
  override readonly name = 'Cancelled';
}

/** The deadline and cancellation of one call, checked between steps (the steps themselves do not yield). */
export class CallDeadline {
  private readonly deadlineMs: number;

  constructor(private readonly call: ServerUnaryCall<unknown, unknown>) {
    const deadline = call.getDeadline();
    this.deadlineMs = deadline instanceof Date ? deadline.getTime() : deadline;
  }

  throwIfExpired(): void {
    if (Date.now() >= this.deadlineMs) throw new DeadlineExceeded('the deadline passed before the call finished');
    if (this.call.cancelled) throw new Cancelled('the caller cancelled the call');
  }
}

export interface UnaryTools {
  logger: Logger;
  metrics: Metrics;
  /** The status of an error a handler expects (bad input, not ready); anything else is INTERNAL. */
  statusOf(error: unknown): Status | undefined;
}

export function unary<Request, Response>(
  method: string,
  tools: UnaryTools,
  handle: (request: Request, deadline: CallDeadline) => Promise<Response>,
): handleUnaryCall<Request, Response> {
  return (call, callback) => {
    const started = performance.now();
    const correlationId = call.metadata.get(CORRELATION_ID_KEY).find((value) => typeof value === 'string');
    const logger = tools.logger.child({ method, ...(correlationId && { correlationId }) });
    const deadline = new CallDeadline(call);
    const finish = (code: Status, error?: unknown) => {
      const seconds = (performance.now() - started) / 1000;
      tools.metrics.grpcDuration.observe({ method, code: Status[code] }, seconds);
      const fields = { code: Status[code], durationMs: Math.round(seconds * 1e4) / 10 };
      if (code === Status.INTERNAL) logger.error({ ...fields, err: error }, `${method} failed`);
      else logger.info({ ...fields, ...(error instanceof Error && { reason: error.message }) }, `${method} ${Status[code]}`);
    };
    Promise.resolve()
      .then(() => {
        deadline.throwIfExpired();
        return handle(call.request, deadline);
      })
      .then(
        (response) => {
          finish(Status.OK);
          callback(null, response);
        },
        (error: unknown) => {
          const code = statusOf(error, tools);
          finish(code, error);
          // Unexpected errors stay in the log: their messages may reveal internals.
          callback({ code, details: code === Status.INTERNAL ? 'internal error' : (error as Error).message });
        },
      );
  };
}

function statusOf(error: unknown, tools: UnaryTools): Status {
  if (error instanceof DeadlineExceeded) return Status.DEADLINE_EXCEEDED;
  if (error instanceof Cancelled) return Status.CANCELLED;
  return tools.statusOf(error) ?? Status.INTERNAL;
}
