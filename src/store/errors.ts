import { EdgeshipError, EXIT } from '../errors.js';

/**
 * Stable codes of the errors the stores throw. Deploy, edge and the CLI branch on `code`,
 * never on message text.
 */
export const STORE_ERRORS = {
  /** The key is not a key any store accepts (escapes the root, NUL byte, not UTF-8, too long). */
  keyInvalid: 'STORE_KEY_INVALID',
  /** A header or user metadata value S3 cannot carry (not printable ASCII, too big). */
  headersInvalid: 'STORE_HEADERS_INVALID',
  /** The bytes sent do not match the `md5` or `size` the caller declared. */
  bodyMismatch: 'STORE_BODY_MISMATCH',
  /** What the store holds after a put differs from what was sent (size or ETag). */
  corruptWrite: 'STORE_CORRUPT_WRITE',
  /** The store kept failing with retryable errors (throttling, 5xx, network) until retries ran out. */
  unavailable: 'STORE_UNAVAILABLE',
  /** Credentials missing, wrong or without permission. */
  accessDenied: 'STORE_ACCESS_DENIED',
  /** The bucket does not exist (or lives in another region / endpoint). */
  noBucket: 'STORE_NO_BUCKET',
  /** `copyMetadata` of a key that does not exist. */
  notFound: 'STORE_NOT_FOUND',
  /** A range starting at or past the end of the object. */
  rangeInvalid: 'STORE_RANGE_INVALID',
  /** The fs store folder is not usable (not a store, unreadable, another format). */
  fsInvalid: 'STORE_FS_INVALID',
  /** A conditional put (`ifNoneMatch`, `ifMatch`) whose condition did not hold: nothing was written. */
  preconditionFailed: 'STORE_PRECONDITION_FAILED',
  /** An option the store cannot work with (a part size under S3's minimum): bad input, exit 2. */
  badOption: 'STORE_BAD_OPTION',
  /** Any other request failure the store reported. */
  requestFailed: 'STORE_REQUEST_FAILED',
} as const;

export type StoreErrorCode = (typeof STORE_ERRORS)[keyof typeof STORE_ERRORS];

export function storeError(code: StoreErrorCode, message: string, hint?: string, cause?: unknown): EdgeshipError {
  return new EdgeshipError(code, message, { exitCode: EXIT.failed, hint, cause });
}

/** Whether `err` is a store error with `code`. */
export function isStoreError(err: unknown, code?: StoreErrorCode): err is EdgeshipError {
  return err instanceof EdgeshipError && (code === undefined || err.code === code);
}
