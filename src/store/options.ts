import { STORE_ERRORS, storeError } from './errors.js';

/** User metadata names are case-insensitive in S3 and come back lower-case. */
export function lowerCaseKeys(metadata: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(metadata ?? {})) out[k.toLowerCase()] = v;
  return out;
}

export function checkMd5Option(md5: string | undefined, key: string): void {
  if (md5 !== undefined && !/^[0-9a-fA-F]{32}$/.test(md5)) {
    throw storeError(STORE_ERRORS.bodyMismatch, `put ${JSON.stringify(key)}: options.md5 ${JSON.stringify(md5)} is not an MD5 hex digest`, 'pass the 32-character hex MD5 of the body, or leave md5 out');
  }
}
