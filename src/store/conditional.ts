import { STORE_ERRORS, storeError } from './errors.js';
import type { PutOptions } from './types.js';

/** Whether a put carries a write condition. */
export function isConditional(options: PutOptions): boolean {
  return options.ifNoneMatch !== undefined || options.ifMatch !== undefined;
}

/**
 * Throws `STORE_PRECONDITION_FAILED` unless the key's current ETag (`undefined`: no object)
 * satisfies the put's condition, as S3 answers 412 to `If-None-Match: *` on an existing key
 * and to `If-Match` with another ETag or on a missing key.
 */
export function checkCondition(location: string, key: string, options: PutOptions, current: string | undefined): void {
  const bare = (etag: string) => etag.replace(/^W\//, '').replace(/"/g, '');
  if (options.ifNoneMatch === '*' && current !== undefined) {
    throw preconditionFailed(location, key, `it exists (ETag ${current}) and the put asked for If-None-Match: *`);
  }
  if (options.ifMatch !== undefined && (current === undefined || bare(current) !== bare(options.ifMatch))) {
    throw preconditionFailed(location, key, `${current === undefined ? 'it does not exist' : `it holds ETag ${current}`} and the put asked for If-Match: ${options.ifMatch}`);
  }
}

export function preconditionFailed(location: string, key: string, why: string) {
  return storeError(STORE_ERRORS.preconditionFailed, `${location} put ${JSON.stringify(key)}: not written: ${why}`, 'another writer changed the object; read it again and decide');
}
