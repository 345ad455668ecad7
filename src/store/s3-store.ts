import type * as S3 from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { checkBody, sendHashed } from './s3-put-body.js';
import { Semaphore } from './concurrency.js';
import { STORE_ERRORS, storeError } from './errors.js';
import { etagMatches, unquoteEtag } from './etag.js';
import { checkMd5Option } from './options.js';
import { checkCondition, isConditional, preconditionFailed } from './conditional.js';
import { assertHeaders, assertKey, assertPrefix } from './keys.js';
import { deleteInBatches } from './s3-delete.js';
import { clampRange } from './range.js';
import { fitToRange } from './s3-range.js';
import { UNSIGNED_PAYLOAD_OPTIONS, unsignedPayloadWithMd5 } from './s3-unsigned-payload.js';
import { ListReadAhead, PEEK_TOKEN_OPTIONS, peekNextToken } from './s3-list.js';
import { toStoreError, type S3Where } from './s3-errors.js';
import { httpStatusOf, withRetry, type RetryOptions } from './retry.js';
import { checkPartSize, DEFAULT_CONCURRENCY, DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE, normalizePrefix, type S3StoreOptions } from './s3-options.js';
import { conditionParams, deleteErrorsOf, encodeCopySourceKey, headerParams, isNotFound, toHead, type PutParams } from './s3-shapes.js';
import { CopyObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, libStorage, PutObjectCommand } from './s3-sdk.js';
import { createS3Client, RequestTimeouts } from './s3-client.js';
import { InFlight } from './in-flight.js';
import { BucketCheck } from './s3-bucket-check.js';
import { corruptWrite, readBack } from './verify-puts.js';
import type { DeleteResult, GetOptions, GetResult, ObjectHead, ObjectStore, ObjectSummary, PutBody, PutOptions, PutResult } from './types.js';

export { DEFAULT_CONCURRENCY, DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE, type S3StoreOptions } from './s3-options.js';

/** The key `conditionalWrites()` probes with, beside the deploy manifest under the reserved `.edgeship/`. */
export const CONDITIONAL_PROBE_KEY = '.edgeship/conditional-write-probe';

/**
 * An `ObjectStore` on S3 or any S3-compatible endpoint, with AWS SDK v3.
 *
 * - One `S3Client` per store (never module-level, see s3-client.ts).
 * - Every put checks the ETag the store answers against the local MD5 / multipart ETag; a
 *   mismatch throws `STORE_CORRUPT_WRITE` naming the key. A put answered without an ETag is
 *   read back. A HEAD after every put is the `verifyPuts(store)` wrapper (verify-puts.ts).
 * - Throttling, 5xx and network failures are retried by the SDK and, around each whole
 *   operation, by `withRetry` (fresh stream per attempt); when retries run out the error is
 *   `STORE_UNAVAILABLE`.
 * - At most `concurrency` requests in flight (one semaphore per store).
 */
export class S3Store implements ObjectStore {
  readonly location: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly partSize: number;
  readonly multipartThreshold: number;
  readonly client: S3.S3Client;
  readonly #where: S3Where;
  readonly #sem: Semaphore;
  readonly #retry: RetryOptions;
  readonly #partConcurrency: number;
  readonly #timeouts: RequestTimeouts;
  readonly #inFlight = new InFlight();
  readonly #bucket: BucketCheck;
  #conditional: Promise<'atomic' | 'checked'> | undefined;
  readonly #lister = new ListReadAhead((prefix, token, onToken) => this.#sendListPage(prefix, token, onToken));

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.prefix = normalizePrefix(options.bucket, options.prefix);
    this.partSize = checkPartSize(options.bucket, options.partSize ?? DEFAULT_PART_SIZE);
    this.multipartThreshold = options.multipartThreshold ?? DEFAULT_MULTIPART_THRESHOLD;
    this.location = `s3://${options.bucket}/${this.prefix}`;
    this.#where = { bucket: options.bucket, endpoint: options.endpoint ?? 'AWS S3', location: this.location };
    this.#sem = new Semaphore(options.concurrency ?? DEFAULT_CONCURRENCY);
    this.#retry = options.retry ?? {};
    this.#partConcurrency = options.partConcurrency ?? 4;
    this.#timeouts = new RequestTimeouts(options);
    this.client = createS3Client(options, this.#timeouts, this.partSize);
    this.client.middlewareStack.add(unsignedPayloadWithMd5, UNSIGNED_PAYLOAD_OPTIONS);
    this.#bucket = new BucketCheck(() => withRetry(() => this.#sem.run(() => this.client.send(new HeadBucketCommand({ Bucket: this.bucket }), this.#small())), this.#retry), this.#where);
  }

  /** Closes the client's sockets. */
  destroy(): void {
    this.client.destroy();
  }

  // ------------------------------------------------------------------------------------------
  // reads

  /** Listing pages asked for, and next-page tokens read from raw answers (to observe the read-ahead). */
  get listStats(): ListReadAhead['stats'] {
    return this.#lister.stats;
  }

  async *list(prefix = ''): AsyncIterable<ObjectSummary> {
    assertPrefix(prefix, `${this.location} list`);
    for await (const out of this.#lister.pages(this.prefix + prefix, (first) => this.#bucket.knownFrom(first))) {
      for (const o of out.Contents ?? []) {
        if (o.Key === undefined || !o.Key.startsWith(this.prefix)) continue;
        yield { key: o.Key.slice(this.prefix.length), size: o.Size ?? 0, etag: unquoteEtag(o.ETag), lastModified: o.LastModified ?? new Date(0) };
      }
    }
  }

  /** One ListObjectsV2 request, its next-page token read from the raw answer (s3-list.ts). */
  #sendListPage(prefix: string, token: string | undefined, onToken: (token: string) => void): Promise<S3.ListObjectsV2CommandOutput> {
    return this.#op('list', undefined, () => {
      const command = new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token, MaxKeys: 1000 });
      command.middlewareStack.add(peekNextToken(onToken), PEEK_TOKEN_OPTIONS);
      return this.client.send(command, this.#small());
    });
  }

  async head(key: string): Promise<ObjectHead | undefined> {
    assertKey(key, `${this.location} head`);
    const out = await this.#op('head', key, async () => {
      try {
        return await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }), this.#small());
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    });
    if (out === undefined) {
      await this.#bucket.check();
      return undefined;
    }
    return toHead(key, out);
  }

  async get(key: string, options: GetOptions = {}): Promise<GetResult | undefined> {
    assertKey(key, `${this.location} get`);
    const where = `${this.location} get ${JSON.stringify(key)}`;
    if (options.range !== undefined) clampRange(options.range, Number.MAX_SAFE_INTEGER, where);
    const range = options.range === undefined ? undefined : `bytes=${options.range.start}-${options.range.end ?? ''}`;
    const out = await this.#op('get', key, async () => {
      try {
        return await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, Range: range }), this.#small());
      } catch (err) {
        if (isNotFound(err)) return undefined;
        if (httpStatusOf(err) === 416 || (err as Error).name === 'InvalidRange') {
          throw storeError(STORE_ERRORS.rangeInvalid, `${where}: range starts at or past the end of the object (S3 answered 416)`, 'check the size with head() first');
        }
        throw err;
      }
    });
    if (out === undefined) {
      await this.#bucket.check();
      return undefined;
    }
    const body = out.Body as Readable;
    const head = toHead(key, out);
    if (options.range === undefined) return { head, body };
    const fitted = fitToRange(body, { contentRange: out.ContentRange, contentLength: out.ContentLength }, options.range, where);
    head.size = fitted.size;
    return { head, body: fitted.body, range: fitted.range };
  }

  // ------------------------------------------------------------------------------------------
  // writes

  async put(key: string, body: PutBody, options: PutOptions = {}): Promise<PutResult> {
    assertKey(key, `${this.location} put`);
    assertHeaders(options, `${this.location} put ${JSON.stringify(key)}`);
    checkMd5Option(options.md5, key);
    const { size, hashes: bufferHashes, mismatch } = checkBody(`${this.location} put ${JSON.stringify(key)}`, body, options, this.partSize);
    const params: PutParams = { Bucket: this.bucket, Key: this.prefix + key, ContentLength: size, ...headerParams(options) };
    const multipart = size >= this.multipartThreshold;
    const conditional = isConditional(options);
    if (conditional) {
      // A store that ignores the conditions gets them checked with a HEAD just before the put.
      if ((await this.conditionalWrites()) === 'checked') checkCondition(this.location, key, options, (await this.head(key))?.etag);
      else Object.assign(params, conditionParams(options));
    }

    /** One attempt: a fresh stream from the factory, hashed on its way out. */
    const attempt = () => sendHashed(body, { md5: options.md5, size, partSize: this.partSize, bufferHashes, mismatch }, (payload, md5, abort) => this.#send(params, payload, multipart, md5, abort));

    const { etag, expected } = await this.#op('put', key, async () => {
      try {
        return await attempt();
      } catch (err) {
        // 412: the condition did not hold; 409 ConditionalRequestConflict: a concurrent conditional write won.
        if (conditional && (httpStatusOf(err) === 412 || httpStatusOf(err) === 409)) throw preconditionFailed(this.location, key, `the store answered ${httpStatusOf(err)} (${(err as Error).name})`);
        throw err;
      }
    });
    if (etag !== '' && !etagMatches(etag, expected)) throw corruptWrite(this.location, key, `the store answered ETag ${etag}`, expected);
    // A server that answers no ETag is read back, so no put goes unverified.
    return { etag: etag !== '' ? etag : await readBack(this, key, expected) };
  }

  /**
   * Whether the endpoint refuses a put whose condition fails (AWS S3 since August 2024, MinIO,
   * R2) or ignores it (s3rver 3.7, older S3-compatible servers): asked once per store by two
   * puts of a probe key, the second with `If-None-Match: *`.
   */
  conditionalWrites(): Promise<'atomic' | 'checked'> {
    this.#conditional ??= (async () => {
      const Key = `${this.prefix}${CONDITIONAL_PROBE_KEY}`;
      const put = (IfNoneMatch?: string) => this.#op('put', CONDITIONAL_PROBE_KEY, () => this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: 'probe', IfNoneMatch }), this.#small()));
      await put();
      let mode: 'atomic' | 'checked' = 'checked';
      try {
        await put('*');
      } catch (err) {
        if (httpStatusOf((err as Error).cause) !== 412) throw err;
        mode = 'atomic';
      }
      await this.deleteMany([CONDITIONAL_PROBE_KEY]);
      return mode;
    })();
    this.#conditional.catch(() => (this.#conditional = undefined));
    return this.#conditional;
  }

  /** PutObject, or a multipart upload from the threshold on; the ETag the store answered. */
  async #send(params: PutParams, payload: Buffer | Readable, multipart: boolean, md5: string | undefined, abort: AbortController): Promise<string> {
    if (!multipart) {
      const contentMd5 = md5 === undefined ? {} : { ContentMD5: Buffer.from(md5, 'hex').toString('base64') };
      const out = await this.client.send(new PutObjectCommand({ ...params, ...contentMd5, Body: payload }), { abortSignal: abort.signal, requestTimeout: this.#timeouts.forBytes(params.ContentLength) });
      return unquoteEtag(out.ETag);
    }
    const upload = new (libStorage().Upload)({
      client: this.client,
      params: { ...params, Body: payload },
      partSize: this.partSize,
      queueSize: this.#partConcurrency,
      leavePartsOnError: false,
      abortController: abort,
    });
    return unquoteEtag((await upload.done()).ETag);
  }

  async copyMetadata(key: string, options: PutOptions): Promise<PutResult> {
    assertKey(key, `${this.location} copyMetadata`);
    assertHeaders(options, `${this.location} copyMetadata ${JSON.stringify(key)}`);
    const Key = this.prefix + key;
    const out = await this.#op('copyMetadata', key, async () => {
      try {
        return await this.client.send(
          // A server-side copy takes longer with the object's size, which is not known here.
          new CopyObjectCommand({
            Bucket: this.bucket,
            Key,
            CopySource: `${this.bucket}/${encodeCopySourceKey(Key)}`,
            MetadataDirective: 'REPLACE',
            ...headerParams(options),
          }),
          { requestTimeout: this.#timeouts.baseMs * 6 },
        );
      } catch (err) {
        if (isNotFound(err)) {
          throw storeError(STORE_ERRORS.notFound, `${this.location} copyMetadata: key ${JSON.stringify(key)} does not exist`, 'upload the object (put) instead of updating its metadata');
        }
        throw err;
      }
    });
    return { etag: unquoteEtag(out.CopyObjectResult?.ETag) };
  }

  deleteMany(keys: readonly string[]): Promise<DeleteResult> {
    const send = async (batch: string[]) => {
      const Delete = { Objects: batch.map((k) => ({ Key: this.prefix + k })), Quiet: true };
      const out = await this.#op('delete', undefined, () => this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete }), this.#small()));
      return deleteErrorsOf(out, this.prefix, this.location);
    };
    return deleteInBatches(keys, send, (err) => toStoreError(err, 'delete', this.#where));
  }

  // ------------------------------------------------------------------------------------------
  // internals

  /** Per-request options of a request without a body. */
  #small(): { requestTimeout: number } {
    return { requestTimeout: this.#timeouts.baseMs };
  }

  /** Time to the response headers of a request sending `bytes`: the base, plus the bytes at the slowest rate allowed. */
  requestTimeoutFor(bytes: number): number {
    return this.#timeouts.forBytes(bytes);
  }

  /** Requests sent and not answered, and how long the oldest has waited: what a progress line shows while the store stalls. */
  waiting(now = performance.now()): { requests: number; oldestMs: number } {
    return this.#inFlight.waiting(now);
  }

  /** One store operation: bucket check once, a semaphore slot per attempt, retries, typed errors. */
  async #op<T>(op: string, key: string | undefined, fn: () => Promise<T>): Promise<T> {
    const attempt = () => this.#inFlight.run(fn);
    try {
      return await withRetry(() => this.#sem.run(attempt), this.#retry);
    } catch (err) {
      throw toStoreError(err, op, this.#where, key);
    }
  }
}
