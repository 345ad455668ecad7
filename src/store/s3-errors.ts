import type { EdgeshipError } from '../errors.js';
import { STORE_ERRORS, isStoreError, storeError } from './errors.js';
import { httpStatusOf, RetriesExhausted } from './retry.js';

/** Where a request went, for messages. */
export interface S3Where {
  bucket: string;
  endpoint: string;
  /** `s3://bucket/prefix` */
  location: string;
}

/**
 * Turns an SDK or network error into a typed store error that names the bucket (and key) and
 * says what to do. Missing objects are not errors (the caller handles 404 before this).
 */
export function toStoreError(err: unknown, op: string, where: S3Where, key?: string): EdgeshipError {
  if (isStoreError(err)) return err;
  const subject = key === undefined ? where.location : `${where.location} key ${JSON.stringify(key)}`;
  if (err instanceof RetriesExhausted) {
    return storeError(
      STORE_ERRORS.unavailable,
      `${op} ${subject}: the store kept failing (${describe(err.last)}) after ${err.attempts} attempts at ${where.endpoint}`,
      'the endpoint is down, throttling or unreachable; check it (and the network), then run again; re-running is safe',
      err,
    );
  }
  const e = err as { name?: string; Code?: string; message?: string };
  const name = e.name ?? e.Code ?? '';
  const status = httpStatusOf(err);
  if (name === 'NoSuchBucket') {
    return storeError(STORE_ERRORS.noBucket, `${op} ${subject}: bucket "${where.bucket}" does not exist at ${where.endpoint}`, 'create the bucket (edgeship synth + cdk deploy creates it), or fix targets.<name>.store.bucket / endpoint / region', err);
  }
  if (name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed' || status === 301) {
    return storeError(STORE_ERRORS.noBucket, `${op} ${subject}: bucket "${where.bucket}" is in another region than the one configured`, 'set targets.<name>.store.region to the bucket\'s region (or AWS_REGION)', err);
  }
  if (
    status === 403 ||
    ['AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'CredentialsProviderError', 'AllAccessDisabled'].includes(name) ||
    /credential/i.test(e.message ?? '')
  ) {
    return storeError(
      STORE_ERRORS.accessDenied,
      `${op} ${subject}: access denied (${describe(err)})`,
      'edgeship takes credentials from the standard AWS chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO, instance roles); check them and that they allow s3:GetObject, s3:PutObject, s3:DeleteObject and s3:ListBucket on this bucket',
      err,
    );
  }
  if (/region is missing/i.test(e.message ?? '')) {
    return storeError(STORE_ERRORS.requestFailed, `${op} ${subject}: no AWS region configured`, 'set targets.<name>.store.region, or AWS_REGION', err);
  }
  return storeError(STORE_ERRORS.requestFailed, `${op} ${subject} failed at ${where.endpoint}: ${describe(err)}`, 'see the cause; re-running is safe', err);
}

function describe(err: unknown): string {
  const e = err as { name?: string; code?: string; message?: string } | undefined;
  const status = httpStatusOf(err);
  const parts = [e?.name, e?.code, status === undefined ? undefined : `HTTP ${status}`].filter((p) => p !== undefined && p !== 'Error' && p !== '');
  const msg = e?.message && e.message !== e.name ? e.message : '';
  return [parts.join(' '), msg].filter((p) => p !== '').join(': ') || String(err);
}
