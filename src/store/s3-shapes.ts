// How the S3 store reads the SDK's answers and writes its requests: small pure helpers.
import type * as S3 from '@aws-sdk/client-s3';
import { unquoteEtag } from './etag.js';
import { lowerCaseKeys } from './options.js';
import { httpStatusOf } from './retry.js';
import type { DeleteError, ObjectHead, PutOptions } from './types.js';

export function isNotFound(err: unknown): boolean {
  const name = (err as Error).name;
  return name === 'NoSuchKey' || name === 'NotFound' || (httpStatusOf(err) === 404 && name !== 'NoSuchBucket');
}

export function toHead(key: string, out: S3.HeadObjectCommandOutput | S3.GetObjectCommandOutput): ObjectHead {
  const head: ObjectHead = {
    key,
    size: out.ContentLength ?? 0,
    etag: unquoteEtag(out.ETag),
    lastModified: out.LastModified ?? new Date(0),
    metadata: lowerCaseKeys(out.Metadata),
  };
  if (out.ContentType !== undefined) head.contentType = out.ContentType;
  if (out.CacheControl !== undefined) head.cacheControl = out.CacheControl;
  if (out.ContentEncoding !== undefined) head.contentEncoding = out.ContentEncoding;
  return head;
}

/**
 * `x-amz-copy-source` is `bucket/key` with the key URL-encoded; `/` may stay literal.
 * encodeURIComponent leaves `!'()*` alone, which S3 accepts.
 */
export function encodeCopySourceKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

/** The HTTP handler warns on the console about timeouts and queued sockets; retries here handle those. */
export const QUIET_LOGGER = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** The per-key failures of a DeleteObjects answer, by key (without the store's prefix). */
export function deleteErrorsOf(out: S3.DeleteObjectsCommandOutput, prefix: string, location: string): Map<string, DeleteError> {
  const failed = new Map<string, DeleteError>();
  for (const e of out.Errors ?? []) {
    const key = (e.Key ?? '').slice(prefix.length);
    failed.set(key, { key, code: e.Code ?? 'UnknownError', message: `${location} delete ${JSON.stringify(key)}: ${e.Message ?? e.Code ?? 'failed'}` });
  }
  return failed;
}

/** The headers of a put or a metadata copy, as request parameters. */
export function headerParams(options: PutOptions): Pick<PutParams, 'ContentType' | 'CacheControl' | 'ContentEncoding' | 'Metadata'> {
  return { ContentType: options.contentType, CacheControl: options.cacheControl, ContentEncoding: options.contentEncoding, Metadata: lowerCaseKeys(options.metadata) };
}

export interface PutParams {
  Bucket: string;
  Key: string;
  ContentLength: number;
  ContentType: string | undefined;
  CacheControl: string | undefined;
  ContentEncoding: string | undefined;
  Metadata: Record<string, string>;
}

/** A put's write condition as request headers; S3 compares `If-Match` with the quoted ETag. */
export function conditionParams(options: PutOptions): { IfNoneMatch?: string; IfMatch?: string } {
  return { ...(options.ifNoneMatch === undefined ? {} : { IfNoneMatch: options.ifNoneMatch }), ...(options.ifMatch === undefined ? {} : { IfMatch: `"${options.ifMatch}"` }) };
}
