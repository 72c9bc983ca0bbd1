import { credentials, Metadata, status as Status, type ServiceError } from '@grpc/grpc-js';
import { createPromiseClient, Forecaster, Interval, Method, type PromiseClient, type UnaryCallOptions } from '@spendcast/proto';
import CircuitBreaker from 'opossum';
import { currentRequestId, type Logger } from '../logging';
import type { Metrics } from '../metrics';
import type { AnomalyCandidate, AnomalyVerdict, Forecast, MlAnswer, MlClient, MlUnavailable, SpendHistory } from './ml-client.port';

/** ml-service logs the caller's request id under this key, so the logs of both services join on it. */
const CORRELATION_ID_KEY = 'x-correlation-id';

/**
 * Opens once at least half of the last 10 s of calls failed (from the third call on), and then
 * answers at once for 10 s before letting one trial call through. A dashboard load thus never waits
 * for a deadline while ml-service is known to be down.
 */
const BREAKER_OPTIONS = { errorThresholdPercentage: 50, volumeThreshold: 3, rollingCountTimeout: 10_000, resetTimeout: 10_000 };

/** grpc-js waits up to 2 minutes between reconnection attempts by default; a restarted ml-service should be used again within seconds. */
const MAX_RECONNECT_BACKOFF_MS = 5_000;

const INTERVALS = { week: Interval.WEEK, month: Interval.MONTH } as const;

function isServiceError(error: unknown): error is ServiceError {
  return error instanceof Error && typeof (error as Partial<ServiceError>).code === 'number';
}

/** A request ml-service refused as invalid is this side's mistake, not a sign that ml-service is unwell. */
const isRefusedRequest = (error: unknown) => isServiceError(error) && error.code === Status.INVALID_ARGUMENT;

export interface GrpcMlClientOptions {
  /** http://host:port, or https:// for TLS. */
  url: string;
  deadlineMs: number;
}

/** ml-service over gRPC: one call per question, each with a deadline, all behind one circuit breaker. */
export class GrpcMlClient implements MlClient {
  private readonly client: PromiseClient<typeof Forecaster>;
  private readonly breaker = new CircuitBreaker((send: () => Promise<unknown>) => send(), { ...BREAKER_OPTIONS, timeout: false, errorFilter: isRefusedRequest });

  constructor(
    private readonly options: GrpcMlClientOptions,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {
    const url = new URL(options.url);
    const channelCredentials = url.protocol === 'https:' ? credentials.createSsl() : credentials.createInsecure();
    this.client = createPromiseClient(Forecaster, url.host, channelCredentials, { 'grpc.max_reconnect_backoff_ms': MAX_RECONNECT_BACKOFF_MS });
    this.breaker.on('open', () => {
      metrics.mlCircuitOpen.set(1);
      logger.warn({ retryInMs: BREAKER_OPTIONS.resetTimeout }, 'ml-service keeps failing; answering without it for a while');
    });
    this.breaker.on('close', () => {
      metrics.mlCircuitOpen.set(0);
      logger.info('ml-service answers again');
    });
  }

  forecast(history: SpendHistory, horizon: number): Promise<MlAnswer<Forecast>> {
    const request = { series: [{ id: 'history', interval: INTERVALS[history.interval], firstPeriod: history.firstPeriod, values: history.values }], horizon };
    return this.call('Forecast', (options) => this.client.forecast(request, options), (response) => {
      const series = response.series[0]!;
      return {
        model: { name: response.model?.name ?? '', version: response.model?.version ?? '' },
        method: series.method === Method.MODEL ? 'model' : 'fallback',
        fallback: series.fallback || null,
        // All three quantiles were asked for (an empty list), so each is set.
        periods: series.periods.map((period) => ({ start: period.period, p10: period.p10!, p50: period.p50!, p90: period.p90! })),
      };
    });
  }

  detectAnomalies(bills: AnomalyCandidate[]): Promise<MlAnswer<AnomalyVerdict[]>> {
    return this.call('DetectAnomalies', (options) => this.client.detectAnomalies({ items: bills }, options), (response) => response.items);
  }

  close(): void {
    this.breaker.shutdown();
    this.client.close();
  }

  private async call<R, T>(method: string, send: (options: UnaryCallOptions) => Promise<R>, read: (response: R) => T): Promise<MlAnswer<T>> {
    const requestId = currentRequestId();
    const metadata = new Metadata();
    if (requestId) metadata.set(CORRELATION_ID_KEY, requestId);
    try {
      const response = (await this.breaker.fire(() => send({ deadline: Date.now() + this.options.deadlineMs, metadata }))) as R;
      this.metrics.mlCalls.inc({ method, outcome: 'ok' });
      return { available: true, value: read(response) };
    } catch (error) {
      const answer = this.unavailable(error);
      if (!answer) throw error;
      this.metrics.mlCalls.inc({ method, outcome: answer.reason });
      // While the breaker is open every call ends here; its opening was logged once.
      if (answer.reason !== 'CIRCUIT_OPEN') this.logger.warn({ err: error, method, reason: answer.reason }, `ml-service gave no answer to ${method}`);
      return answer;
    }
  }

  /**
   * What the user is told; the details (addresses, ml-service's own words) stay in the log. Undefined
   * for errors that say nothing about ml-service's health: requests it refused, and bugs on this side.
   */
  private unavailable(error: unknown): MlUnavailable | undefined {
    if ((error as { code?: unknown }).code === 'EOPENBREAKER') {
      return { available: false, reason: 'CIRCUIT_OPEN', message: 'ml-service failed repeatedly, so it is not asked again for a few seconds.' };
    }
    if (!isServiceError(error) || isRefusedRequest(error)) return undefined;
    if (error.code === Status.DEADLINE_EXCEEDED) return { available: false, reason: 'TIMEOUT', message: `ml-service did not answer within ${this.options.deadlineMs} ms.` };
    return { available: false, reason: 'UNAVAILABLE', message: 'ml-service is unavailable.' };
  }
}
