import { AsyncLocalStorage } from 'node:async_hooks';

const requests = new AsyncLocalStorage<{ requestId: string | undefined }>();

/**
 * Runs `work` on behalf of the request with this id. Units of work started inside record it in the
 * transaction (`app.request_id`, hence audit entries) and in the events they publish, without every
 * service having to pass it along.
 */
export function withRequestId<T>(requestId: string | undefined, work: () => T): T {
  return requests.run({ requestId }, work);
}

/** The id of the request the current code runs for, if any. */
export function currentRequestId(): string | undefined {
  return requests.getStore()?.requestId;
}
