import { pipeline, type Readable } from 'node:stream';
import { STORE_ERRORS, isStoreError, storeError } from './errors.js';
import { EtagAccumulator, VerifyingHash } from './etag.js';
import type { PutBody, PutOptions } from './types.js';

/** What a put's bytes hash to: the MD5, the multipart ETag for the store's part size, and the size. */
export type Hashes = ReturnType<EtagAccumulator['digest']>;

/**
 * The body's size, and for a buffer its hashes, checked against the size and MD5 the caller
 * declared before anything is sent. `mismatch` makes the error of a body that does not match.
 */
export function checkBody(where: string, body: PutBody, options: PutOptions, partSize: number): { size: number; hashes?: Hashes; mismatch: (what: string) => Error } {
  const mismatch = (what: string): Error =>
    storeError(STORE_ERRORS.bodyMismatch, `${where}: the body has ${what}; the upload was aborted`, 'the file changed while it was uploaded, or the declared md5/size is wrong; scan it again');
  if (!Buffer.isBuffer(body)) {
    if (options.size === undefined) throw storeError(STORE_ERRORS.bodyMismatch, `${where}: a stream body needs options.size`, 'pass the size in bytes of the stream');
    return { size: options.size, mismatch };
  }
  const acc = new EtagAccumulator(partSize);
  acc.update(body);
  const hashes = acc.digest();
  if (options.size !== undefined && options.size !== body.length) throw mismatch(`${body.length} bytes, declared ${options.size}`);
  if (options.md5 !== undefined && options.md5.toLowerCase() !== hashes.md5) throw mismatch(`MD5 ${hashes.md5}, declared ${options.md5}`);
  return { size: body.length, hashes, mismatch };
}

type Send = (payload: Buffer | Readable, md5: string | undefined, abort: AbortController) => Promise<string>;

/**
 * One attempt of a put: a buffer as it is, or a fresh stream from the factory hashed on its
 * way out (a stream whose bytes do not match the declared MD5 or size aborts the request).
 * The ETag the store answered, and what the bytes sent hash to.
 */
export async function sendHashed(
  body: PutBody,
  { md5, size, partSize, bufferHashes, mismatch }: { md5: string | undefined; size: number; partSize: number; bufferHashes: Hashes | undefined; mismatch: (what: string) => Error },
  send: Send,
): Promise<{ etag: string; expected: Hashes }> {
  if (Buffer.isBuffer(body)) return { etag: await send(body, bufferHashes?.md5, new AbortController()), expected: bufferHashes! };
  const source = body();
  const hasher = new VerifyingHash(partSize, { md5, size, onMismatch: mismatch });
  const payload = pipeline(source, hasher, () => undefined);
  // A body that fails (its own error, or a md5/size mismatch) must abort the request: the
  // HTTP layer would otherwise wait for bytes that never come.
  const abort = new AbortController();
  hasher.once('error', () => abort.abort());
  try {
    return { etag: await send(payload, md5, abort), expected: hasher.result };
  } catch (err) {
    // The request fails with whatever the HTTP layer saw; the cause is the body's own error.
    if (isStoreError(hasher.errored)) throw hasher.errored;
    if (source.errored) throw source.errored;
    throw err;
  } finally {
    if (!source.destroyed) source.destroy();
  }
}
