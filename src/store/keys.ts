import { STORE_ERRORS, storeError } from './errors.js';
import type { DeleteError } from './types.js';

/** S3's limit on the UTF-8 length of an object key. */
export const MAX_KEY_BYTES = 1024;

/** With the `u` flag a surrogate pair is one code point, so this matches lone halves only. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Why `key` is not a key edgeship stores, or `undefined` when it is one.
 *
 * Every store applies the same rule so a site that deploys to the fs store deploys to S3:
 * - UTF-8 text (no lone surrogates), 1..1024 bytes, no NUL byte (S3's own limits, plus NUL,
 *   which no filesystem path and no URL can carry);
 * - not absolute-looking (`/x`, `\x`, `C:\x`, `C:/x`): S3 keys have no leading `/`, and such
 *   a key is almost always a local path passed by mistake;
 * - `.` and `..` segments are literal text, but a key whose segments, read as a path, climb
 *   above the root (`../x`, `a/../../x`) is refused: CloudFront normalizes such URLs away, so
 *   the object could never be served, and a path-based store would be walked out of its folder.
 *   `a/../b` and `a/./b` stay valid keys (they stay inside).
 */
export function keyProblem(key: string): string | undefined {
  if (typeof key !== 'string' || key.length === 0) return 'is empty';
  if (key.includes('\0')) return 'contains a NUL byte';
  if (LONE_SURROGATE.test(key)) return 'is not valid UTF-8 (lone surrogate)';
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `is longer than ${MAX_KEY_BYTES} bytes in UTF-8`;
  if (key.startsWith('/') || key.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(key)) return 'looks like an absolute path';
  let depth = 0;
  for (const segment of key.split(/[/\\]/)) {
    if (segment === '..') depth -= 1;
    else if (segment !== '.' && segment !== '') depth += 1;
    if (depth < 0) return 'climbs above the root with ".." segments';
  }
  return undefined;
}

/** Throws `STORE_KEY_INVALID` naming the key and the rule unless `key` is valid. */
export function assertKey(key: string, where: string): void {
  const problem = keyProblem(key);
  if (problem !== undefined) {
    throw storeError(
      STORE_ERRORS.keyInvalid,
      `${where}: key ${JSON.stringify(key)} ${problem}`,
      'object keys are relative UTF-8 paths such as "about/index.html", at most 1024 bytes, without NUL bytes or ".." that leaves the root',
    );
  }
}

/** Throws `STORE_KEY_INVALID` unless `prefix` can prefix keys (it may be empty or end in `/`). */
export function assertPrefix(prefix: string, where: string): void {
  if (prefix.includes('\0') || LONE_SURROGATE.test(prefix)) {
    throw storeError(STORE_ERRORS.keyInvalid, `${where}: prefix ${JSON.stringify(prefix)} contains a NUL byte or is not valid UTF-8`, 'pass a UTF-8 key prefix such as "images/"');
  }
}

/** S3's limit on the user-defined metadata of one object (names and values, in bytes). */
export const MAX_METADATA_BYTES = 2048;
const TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

/**
 * Throws `STORE_HEADERS_INVALID` unless the headers and user metadata of a put can travel as
 * HTTP headers to S3: names are HTTP tokens, values printable ASCII (S3 stores user metadata
 * as `x-amz-meta-*` headers), and user metadata is at most 2 KB. Both stores apply it, so what
 * deploys to `fs` deploys to `s3`. Encode other text first (e.g. percent-encoding).
 */
export function assertHeaders(
  options: { contentType?: string; cacheControl?: string; contentEncoding?: string; metadata?: Record<string, string> },
  where: string,
): void {
  const fail = (what: string): never => {
    throw storeError(STORE_ERRORS.headersInvalid, `${where}: ${what}`, 'header and metadata values must be printable ASCII (percent-encode other text); metadata names are letters, digits and -_.');
  };
  for (const name of ['contentType', 'cacheControl', 'contentEncoding'] as const) {
    const value = options[name];
    if (value !== undefined && !PRINTABLE_ASCII.test(value)) fail(`${name} ${JSON.stringify(value)} is not printable ASCII`);
  }
  let bytes = 0;
  for (const [name, value] of Object.entries(options.metadata ?? {})) {
    if (!TOKEN.test(name)) fail(`metadata name ${JSON.stringify(name)} is not an HTTP header name`);
    if (typeof value !== 'string' || !PRINTABLE_ASCII.test(value)) fail(`metadata ${name}=${JSON.stringify(value)} is not printable ASCII`);
    bytes += name.length + value.length;
  }
  if (bytes > MAX_METADATA_BYTES) fail(`user metadata is ${bytes} bytes; S3 allows ${MAX_METADATA_BYTES}`);
}

/** A delete's per-key failure for a key no store accepts, or `undefined` for a valid key: reported beside the deleted keys, not thrown. */
export function invalidKeyError(key: string): DeleteError | undefined {
  const problem = keyProblem(key);
  return problem === undefined ? undefined : { key, code: STORE_ERRORS.keyInvalid, message: `key ${JSON.stringify(key)} ${problem}` };
}
