import { EdgeshipError, EXIT } from '../errors.js';
import { STORE_ERRORS, storeError } from './errors.js';
import { MIN_PART_SIZE } from './etag.js';
import { assertPrefix } from './keys.js';
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
}

/**
 * The folder every key lives under, with its final `/`: `www` and `www/` both mean the folder
 * `www/`, as a prefix without its slash would glue itself to every key (`wwwindex.html`).
 */
export function normalizePrefix(bucket: string, prefix: string | undefined): string {
  if (prefix === undefined || prefix === '') return '';
  const folder = prefix.endsWith('/') ? prefix : `${prefix}/`;
  assertPrefix(folder, `s3://${bucket}`);
  if (folder.startsWith('/')) {
    throw storeError(STORE_ERRORS.keyInvalid, `s3://${bucket}: prefix ${JSON.stringify(folder)} starts with "/"`, 'write the prefix without a leading "/", e.g. "sites/www/"');
  }
  return folder;
}

/** S3 refuses parts under 5 MiB (but the last); bad input, not a failed request: nothing is sent. */
export function checkPartSize(bucket: string, partSize: number): number {
  if (partSize < MIN_PART_SIZE) {
    throw new EdgeshipError(STORE_ERRORS.badOption, `s3://${bucket}: partSize ${partSize} is below S3's minimum part size of 5 MiB (${MIN_PART_SIZE} bytes)`, {
      exitCode: EXIT.usage,
      hint: 'use a part size of at least 5 MiB',
    });
  }
  return partSize;
}
