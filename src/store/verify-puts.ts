import { STORE_ERRORS, storeError } from './errors.js';
import { isConditional } from './conditional.js';
import { etagMatches } from './etag.js';
import type { ObjectStore, PutBody, PutOptions, PutResult } from './types.js';

/** What a put sent, to compare a read-back with. */
export interface SentObject {
  size: number;
  /** MD5 hex of the bytes (a single-part put's ETag), or the ETag the put answered, already checked against them. */
  md5: string;
  /** The multipart ETag of the bytes, when they went up in parts. */
  multipart?: string;
}

/**
 * Reads the object back with a HEAD and throws `STORE_CORRUPT_WRITE` naming the key unless
 * its size and ETag are what was sent. Returns the stored ETag.
 */
export async function readBack(store: Pick<ObjectStore, 'head' | 'location'>, key: string, sent: SentObject): Promise<string> {
  const stored = await store.head(key);
  if (stored === undefined) throw corruptWrite(store.location, key, 'the object is missing right after the put', sent);
  if (stored.size !== sent.size) throw corruptWrite(store.location, key, `${stored.size} bytes are stored`, sent);
  if (!etagMatches(stored.etag, sent)) throw corruptWrite(store.location, key, `the stored ETag is ${stored.etag}`, sent);
  return stored.etag;
}

export function corruptWrite(location: string, key: string, what: string, sent: SentObject) {
  const multipart = sent.multipart === undefined ? '' : ` (multipart ${sent.multipart})`;
  return storeError(
    STORE_ERRORS.corruptWrite,
    `${location} put ${JSON.stringify(key)}: ${what}, but ${sent.size} bytes with ETag ${sent.md5}${multipart} were sent`,
    'the server or a proxy altered the upload (e.g. aws-chunked framing stored in the body); the object at this key is not what was deployed: fix the endpoint and deploy again',
  );
}

/** A store holding sockets (S3) closes them with `destroy()`; a wrapper passes that on, so wrapping leaks nothing. */
interface Closable {
  destroy?(): void;
}

/**
 * Every put of `store` read back (size and ETag, one HEAD per put), for a store whose answer
 * alone is not trusted: a proxy or server that alters the bytes after answering.
 *
 * A deploy does without it: it sends Content-MD5 with every single-part put (the server
 * refuses other bytes) and the S3 store checks the ETag each put answers, so the extra HEAD
 * would only double a deploy's requests.
 *
 * A conditional put is not read back: a competing writer may replace the object at once,
 * which its caller (a lock) finds out by reading it back itself.
 */
export function verifyPuts(store: ObjectStore & Closable): ObjectStore & Closable {
  const wrapped: ObjectStore & Closable = {
    location: store.location,
    list: (prefix) => store.list(prefix),
    head: (key) => store.head(key),
    get: (key, options) => store.get(key, options),
    copyMetadata: (key, options) => store.copyMetadata(key, options),
    deleteMany: (keys) => store.deleteMany(keys),
    conditionalWrites: () => store.conditionalWrites(),
    async put(key: string, body: PutBody, options: PutOptions = {}): Promise<PutResult> {
      const result = await store.put(key, body, options);
      if (isConditional(options)) return result;
      const size = Buffer.isBuffer(body) ? body.length : (options.size ?? 0);
      return { etag: await readBack(store, key, { size, md5: result.etag }) };
    },
  };
  if (store.waiting !== undefined) wrapped.waiting = () => store.waiting!();
  if (store.destroy !== undefined) wrapped.destroy = () => store.destroy!();
  return wrapped;
}
