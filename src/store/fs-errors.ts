import type { EdgeshipError } from '../errors.js';
import { STORE_ERRORS, isStoreError, storeError } from './errors.js';

/** The `code` of a Node file-system error (`ENOENT`, `EEXIST`…), if it has one. */
export function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** A failed file-system call as a typed store error naming the operation and key, with the fix its errno suggests. */
export function fsFailure(location: string, dir: string, op: string, key: string | undefined, err: unknown): EdgeshipError {
  if (isStoreError(err)) return err;
  const what = key === undefined ? '' : ` key ${JSON.stringify(key)}`;
  const code = errno(err);
  const hint = code === 'ENOSPC' ? 'free disk space and run again' : code === 'EACCES' || code === 'EPERM' ? `make ${dir} writable` : 'check the store folder and run again';
  return storeError(STORE_ERRORS.requestFailed, `${location} ${op}${what} failed: ${(err as Error).message}`, hint, err);
}
