import type { RetryOptions } from './retry.js';

/**
 * Uploads in parts from 8 MiB, in 8 MiB parts: the AWS CLI's defaults (`multipart_threshold`,
 * `multipart_chunksize`), so objects `aws s3 cp/sync` uploaded carry the same multipart ETag
 * edgeship computes, and a re-deploy does not see them as changed.
 */
export const DEFAULT_MULTIPART_THRESHOLD = 8 * 1024 * 1024;
export const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
export const DEFAULT_CONCURRENCY = 16;

export interface S3StoreOptions {
  bucket: string;
  /** Default: the AWS chain (`AWS_REGION`, profile); `us-east-1` when only an endpoint is set. */
  region?: string;
  /** S3-compatible endpoint (MinIO, R2, Ceph RGW, s3rver), e.g. `http://127.0.0.1:9000`. Default: AWS S3. */
  endpoint?: string;
  /** Path-style URLs (`endpoint/bucket/key`), needed by most S3-compatible servers. Default false. */
  forcePathStyle?: boolean;
  /** Folder every key of this store lives under, e.g. `sites/www/` (a missing final `/` is added). Default none. */
  prefix?: string;
  /** Requests in flight at once, shared by all operations of this store. Default 16. */
  concurrency?: number;
  /** Objects at least this big are uploaded in parts. Default 8 MiB. */
  multipartThreshold?: number;
  /** Part size of multipart uploads (at least 5 MiB, S3's minimum). Default 8 MiB. */
  partSize?: number;
  /** Parts of one multipart upload in flight at once. Default 4. */
  partConcurrency?: number;
  /** Retries of whole operations on throttling, 5xx and network errors (beside the SDK's own). */
  retry?: RetryOptions;
  /** Attempts the SDK makes per request before the operation retry takes over. Default 3. */
  sdkMaxAttempts?: number;
  /**
   * Time to the response headers of a request without a body (list, head, get, delete, copy),
   * in ms; a put gets this plus its bytes at `minBytesPerSecond`. Default 10 000: a stalled
   * request is abandoned and retried within seconds, not minutes.
   */
  requestTimeoutMs?: number;
  /** The slowest upload rate a put is given time for. Default 256 KiB/s (an 8 MiB part: 42 s). */
  minBytesPerSecond?: number;
  /**
   * Read back size and ETag of every put with a HEAD. Default true. With false, the ETag the
   * put answered is still checked (and a put answered without one is read back).
   */
  verifyPuts?: boolean;
}
