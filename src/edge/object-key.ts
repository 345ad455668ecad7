/**
 * From a viewer URI to the store key the origin (S3 REST endpoint) would read.
 *
 * S3 decodes the percent-encoded path once; the key is everything after the first `/`. The local
 * store is a folder on disk, so a key that would step out of it never reaches the store: `.` and
 * `..` segments (`/..%2f`, `%2e%2e/`), NUL, backslashes, and keys under `.edgeship/` (edgeship's
 * own objects), and keys the stores refuse (src/store/keys.ts) are answered as S3 answers a key
 * that does not exist. A path that is not valid
 * percent-encoded UTF-8 (overlong forms such as `%c0%ae`, lone `%`) is a 400, as S3 answers it.
 */
import { keyProblem } from '../store/keys.js';
import { RESERVED_PREFIX } from './contracts.js';

export type StoreKey = { ok: true; key: string } | { ok: false; reason: 'bad-request' | 'not-found' };

export function storeKeyFor(uri: string): StoreKey {
  if (!uri.startsWith('/')) return { ok: false, reason: 'bad-request' };
  let key: string;
  try {
    key = decodeURIComponent(uri.slice(1));
  } catch {
    return { ok: false, reason: 'bad-request' };
  }
  if (key === '' || key.includes('\0') || key.includes('\\')) return { ok: false, reason: 'not-found' };
  if (key.split('/').some((segment) => segment === '.' || segment === '..')) return { ok: false, reason: 'not-found' };
  if (key.startsWith(RESERVED_PREFIX) || key === RESERVED_PREFIX.slice(0, -1)) return { ok: false, reason: 'not-found' };
  // A key no store holds (`//`, over 1,024 bytes, lone surrogates): S3 has no such object either.
  if (keyProblem(key) !== undefined) return { ok: false, reason: 'not-found' };
  return { ok: true, key };
}
