import type * as S3 from '@aws-sdk/client-s3';
import { S3Client } from './s3-sdk.js';
import { QUIET_LOGGER } from './s3-shapes.js';
import type { S3StoreOptions } from './s3-options.js';

/**
 * How long a request may wait for its response headers: a base for a request without a body,
 * plus the bytes it sends at the slowest rate allowed. A stalled request is abandoned and
 * retried within seconds, while a large part on a slow link still gets its time.
 */
export class RequestTimeouts {
  readonly baseMs: number;
  readonly #minBytesPerSecond: number;

  constructor(options: Pick<S3StoreOptions, 'requestTimeoutMs' | 'minBytesPerSecond'>) {
    this.baseMs = options.requestTimeoutMs ?? 10_000;
    this.#minBytesPerSecond = options.minBytesPerSecond ?? 256 * 1024;
  }

  forBytes(bytes: number): number {
    return this.baseMs + Math.ceil((bytes / this.#minBytesPerSecond) * 1000);
  }
}

/**
 * One SDK client per store, credentials only from the AWS chain. Checksums `WHEN_REQUIRED`:
 * with the SDK's defaults a streamed PutObject is sent with aws-chunked framing that some
 * S3-compatible servers store inside the object.
 */
export function createS3Client(options: S3StoreOptions, timeouts: RequestTimeouts, partSize: number): S3.S3Client {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? (options.endpoint !== undefined ? 'us-east-1' : undefined);
  return new S3Client({
    ...(region === undefined ? {} : { region }),
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    forcePathStyle: options.forcePathStyle ?? false,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: options.sdkMaxAttempts ?? 3,
    requestHandler: {
      connectionTimeout: 5_000,
      // The client's own timeout is a part upload's (lib-storage sends the parts); every other
      // request passes its own.
      requestTimeout: timeouts.forBytes(partSize),
      throwOnRequestTimeout: true,
      // A body that stops arriving after the headers (a GET stalled mid-stream).
      socketTimeout: Math.max(timeouts.baseMs, 15_000),
      httpAgent: { keepAlive: true, maxSockets: 64 },
      httpsAgent: { keepAlive: true, maxSockets: 64 },
      logger: QUIET_LOGGER,
    },
    // The client keeps its default logger: the SDK skips building log records only for that
    // one (any other logger, even a silent one, costs a redacted copy of every request).
  });
}
