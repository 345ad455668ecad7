/**
 * The origin: an S3 bucket behind Origin Access Control, played by an `ObjectStore`
 * (spec/cloudfront.md §4.4, §4.10, §9.6).
 *
 * - An object answers `200` with the headers S3 sends (`Content-Type`, `Cache-Control`,
 *   `ETag`, `Last-Modified`, `Content-Encoding`, `x-amz-meta-*`, `Server: AmazonS3`).
 * - A missing key answers `403 AccessDenied` (the XML S3 sends), because the stack edgeship
 *   synthesizes grants CloudFront `s3:GetObject` only (CDK's default OAC access level `READ`).
 *   With `listBucket` it answers `404 NoSuchKey`, as S3 does when `s3:ListBucket` is granted.
 * - A store that throws is an origin that cannot be reached (`502`); one that does not answer
 *   within the timeout is a `504`.
 */
import type { Readable } from 'node:stream';
import type { ObjectHead, ObjectStore } from '../store/types.js';
import type { HeaderMap } from './contracts.js';
import { s3ErrorXml } from './errors.js';

export interface OriginResponse {
  status: number;
  /** Lower-case names. No `Content-Length`: the body's length is known. */
  headers: HeaderMap;
  body: Buffer;
  /** The store's ETag without quotes, for revalidation. */
  etag?: string;
  /** An object too large to buffer: its bytes as a stream (then `body` is empty); never cached. */
  stream?: { body: Readable; size: number };
}

export class OriginError extends Error {
  constructor(readonly status: 502 | 504, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'OriginError';
  }
}

export interface OriginOptions {
  store: ObjectStore;
  /** Answer a missing key with 404 NoSuchKey (bucket policy grants s3:ListBucket) instead of 403. */
  listBucket?: boolean;
  /** Response timeout in ms (CloudFront's default origin read timeout is 30 s, §4.12). */
  timeoutMs?: number;
  /** Objects larger than this are streamed to the viewer instead of read into memory (and not cached). */
  maxBufferBytes?: number;
}

export function headHeaders(head: ObjectHead): HeaderMap {
  const h: HeaderMap = {
    'content-type': head.contentType ?? 'binary/octet-stream',
    etag: `"${head.etag}"`,
    'last-modified': head.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    server: 'AmazonS3',
  };
  if (head.cacheControl !== undefined) h['cache-control'] = head.cacheControl;
  if (head.contentEncoding !== undefined) h['content-encoding'] = head.contentEncoding;
  for (const [name, value] of Object.entries(head.metadata)) h[`x-amz-meta-${name}`] = value;
  return h;
}

export function missingResponse(key: string, requestId: string, listBucket: boolean): OriginResponse {
  const code = listBucket ? 'NoSuchKey' : 'AccessDenied';
  return {
    status: listBucket ? 404 : 403,
    headers: { 'content-type': 'application/xml', server: 'AmazonS3' },
    body: Buffer.from(s3ErrorXml(code, key, requestId)),
  };
}

async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new OriginError(504, `the origin did not answer ${what} within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export class Origin {
  private readonly timeoutMs: number;
  constructor(private readonly options: OriginOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** GET of a whole object. */
  async get(key: string, requestId: string): Promise<OriginResponse> {
    return withTimeout(
      (async () => {
        let result;
        try {
          result = await this.options.store.get(key);
        } catch (error) {
          throw new OriginError(502, `the origin ${this.options.store.location} failed: ${(error as Error).message}`, { cause: error });
        }
        if (!result) return missingResponse(key, requestId, this.options.listBucket ?? false);
        if (result.head.size > (this.options.maxBufferBytes ?? Infinity)) {
          return { status: 200, headers: headHeaders(result.head), body: Buffer.alloc(0), etag: result.head.etag, stream: { body: result.body, size: result.head.size } };
        }
        let body: Buffer;
        try {
          body = await readAll(result.body);
        } catch (error) {
          throw new OriginError(502, `reading ${key} from ${this.options.store.location} failed: ${(error as Error).message}`, { cause: error });
        }
        return { status: 200, headers: headHeaders(result.head), body, etag: result.head.etag };
      })(),
      this.timeoutMs,
      `GET ${key}`,
    );
  }

  /** Bytes `start..end` (inclusive) of an object, streamed; undefined when it is gone. */
  async getRange(key: string, start: number, end: number): Promise<Readable | undefined> {
    try {
      return (await this.options.store.get(key, { range: { start, end } }))?.body;
    } catch (error) {
      throw new OriginError(502, `the origin ${this.options.store.location} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  /**
   * A conditional GET with `If-None-Match` (§2.4): `'not-modified'` when the stored ETag still
   * matches (S3 would answer 304), else the new response.
   */
  async revalidate(key: string, etag: string | undefined, requestId: string): Promise<{ notModified: true; head: ObjectHead } | { notModified: false; response: OriginResponse }> {
    if (etag !== undefined) {
      const head = await withTimeout(
        this.options.store.head(key).catch((error: unknown) => {
          throw new OriginError(502, `the origin ${this.options.store.location} failed: ${(error as Error).message}`, { cause: error });
        }),
        this.timeoutMs,
        `HEAD ${key}`,
      );
      if (head && head.etag === etag) return { notModified: true, head };
    }
    return { notModified: false, response: await this.get(key, requestId) };
  }
}
