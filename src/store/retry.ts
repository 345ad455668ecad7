import { EdgeshipError } from '../errors.js';

/**
 * Retries for store requests: exponential backoff with full jitter (AWS Architecture Blog,
 * "Exponential Backoff And Jitter": sleep = random(0, min(cap, base * 2^attempt))).
 *
 * The AWS SDK already retries most requests (standard mode, `maxAttempts`). It cannot retry a
 * request whose body is a stream it has consumed, nor a whole multipart upload, nor a
 * verification that failed on a network error; this wrapper re-runs the whole operation with a
 * fresh stream from the `PutBody` factory.
 */
export interface RetryOptions {
  /** Tries in all, the first included. Default 4. */
  attempts?: number;
  /** Backoff base in ms. Default 200. */
  baseDelayMs?: number;
  /** Backoff cap in ms. Default 5000. */
  maxDelayMs?: number;
  /** Source of randomness in [0, 1) for the jitter. Default `Math.random`. */
  random?: () => number;
  /** How to wait. Default a timer. */
  sleep?: (ms: number) => Promise<void>;
}

export interface RetryDefaults {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const RETRY_DEFAULTS: RetryDefaults = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5000 };

/** Error names/codes S3 and S3-compatible servers use for throttling and transient faults. */
const RETRYABLE_NAMES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'ServiceUnavailable',
  'InternalError',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
]);

/** Node's network error codes worth another try (the connection, not the request, failed). */
const RETRYABLE_ERRNOS = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'ECONNABORTED', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ERR_STREAM_PREMATURE_CLOSE']);

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
  cause?: unknown;
}

/** HTTP status an SDK error carries, if any. */
export function httpStatusOf(err: unknown): number | undefined {
  const e = err as ErrorLike | undefined;
  return e?.$metadata?.httpStatusCode ?? e?.$response?.statusCode;
}

/**
 * Whether an error is transient: throttling (503 SlowDown, 429), any 5xx, or a network failure
 * (ECONNRESET, socket hang up, timeouts). A 4xx other than 429/408 is an answer, not a fault.
 */
export function isRetryable(err: unknown, depth = 0): boolean {
  if (err === null || typeof err !== 'object' || depth > 3) return false;
  // edgeship's own typed errors are verdicts (a mismatch, a bad key), never transient.
  if (err instanceof EdgeshipError) return false;
  const e = err as ErrorLike;
  const status = httpStatusOf(err);
  if (status !== undefined && (status >= 500 || status === 429 || status === 408)) return true;
  if (e.name !== undefined && RETRYABLE_NAMES.has(e.name)) return true;
  if (e.code !== undefined && (RETRYABLE_ERRNOS.has(e.code) || RETRYABLE_NAMES.has(e.code))) return true;
  if (/socket hang up|ECONNRESET|EPIPE|premature close/i.test(e.message ?? '') && (status === undefined || status >= 500)) return true;
  return isRetryable(e.cause, depth + 1);
}

export class RetriesExhausted extends Error {
  constructor(
    readonly attempts: number,
    readonly last: unknown,
  ) {
    super(`failed after ${attempts} attempts: ${(last as Error | undefined)?.message ?? String(last)}`, { cause: last });
    this.name = 'RetriesExhausted';
  }
}

/** Full-jitter delay before retry number `retry` (0 = the first retry). */
export function backoffDelay(retry: number, o: RetryDefaults, random: () => number): number {
  return Math.floor(random() * Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** retry));
}

/**
 * Runs `fn` until it succeeds, fails with a non-retryable error (rethrown as is), or runs out
 * of attempts (`RetriesExhausted` carrying the last error).
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const o: RetryDefaults = { ...RETRY_DEFAULTS, ...definedOnly(options) };
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!isRetryable(err)) throw err;
      if (attempt + 1 >= o.attempts) throw new RetriesExhausted(attempt + 1, err);
      await sleep(backoffDelay(attempt, o, random));
    }
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
