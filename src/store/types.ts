import type { Readable } from 'node:stream';

/**
 * The one storage boundary of edgeship. Deploy writes through it, the local edge reads
 * through it, and every implementation (`fs`, `s3`) runs the same contract suite
 * (`test/store/contract.ts`).
 *
 * Keys are S3 object keys: UTF-8, no leading `/`, compared byte for byte.
 */
export interface ObjectStore {
  /** Human-readable location, for messages: `fs:/abs/dir` or `s3://bucket/prefix`. */
  readonly location: string;

  /** Every object under `prefix` (all objects when omitted). Order is not specified. */
  list(prefix?: string): AsyncIterable<ObjectSummary>;

  /** Metadata of one object, or `undefined` when the key does not exist. */
  head(key: string): Promise<ObjectHead | undefined>;

  /**
   * The object's bytes as a stream, or `undefined` when the key does not exist.
   * With `range`, only bytes `start..end` (inclusive, clamped to the object's size).
   */
  get(key: string, options?: GetOptions): Promise<GetResult | undefined>;

  /**
   * Writes one object. The body is a buffer or a factory of fresh streams (a retry needs a
   * new stream). Readers never see a partly written object.
   */
  put(key: string, body: PutBody, options?: PutOptions): Promise<PutResult>;

  /** Replaces an existing object's headers and metadata without sending its bytes again. */
  copyMetadata(key: string, options: PutOptions): Promise<PutResult>;

  /** Deletes keys in batches; a key that does not exist counts as deleted. Per-key failures are reported, never dropped. */
  deleteMany(keys: readonly string[]): Promise<DeleteResult>;

  /**
   * How `put` enforces `ifNoneMatch` / `ifMatch`: `atomic` when the store itself refuses a
   * write whose condition no longer holds (S3 since 2024, the fs store); `checked` when the
   * store ignores the conditions (s3rver, older S3-compatible servers) and the store compares
   * with a read just before the write, which leaves a window a concurrent writer can slip into.
   */
  conditionalWrites(): Promise<'atomic' | 'checked'>;

  /** Requests sent and not answered yet, and how long the oldest has waited (a remote store). */
  waiting?(): { requests: number; oldestMs: number };
}

export interface ObjectSummary {
  key: string;
  size: number;
  /** The ETag without quotes: the MD5 hex of the bytes, or `<md5-of-md5s>-<parts>` for a multipart upload. */
  etag: string;
  lastModified: Date;
}

export interface ObjectHead extends ObjectSummary {
  contentType?: string;
  cacheControl?: string;
  contentEncoding?: string;
  /** User metadata (`x-amz-meta-*`), lower-case names. */
  metadata: Record<string, string>;
}

export interface GetOptions {
  range?: { start: number; end?: number };
}

export interface GetResult {
  head: ObjectHead;
  body: Readable;
  /** Present when a range was requested: the bytes actually returned (inclusive). */
  range?: { start: number; end: number };
}

export type PutBody = Buffer | (() => Readable);

export interface PutOptions {
  contentType?: string;
  cacheControl?: string;
  contentEncoding?: string;
  metadata?: Record<string, string>;
  /** Size of the body in bytes; required for a stream factory. */
  size?: number;
  /** MD5 hex of the body; when given, the store rejects a body whose bytes do not match. */
  md5?: string;
  /** `'*'`: write only if the key does not exist (S3 `If-None-Match: *`); else `STORE_PRECONDITION_FAILED`. */
  ifNoneMatch?: '*';
  /** Write only while the key holds this ETag (S3 `If-Match`); else `STORE_PRECONDITION_FAILED`. */
  ifMatch?: string;
}

export interface PutResult {
  etag: string;
}

export interface DeleteResult {
  deleted: string[];
  errors: DeleteError[];
}

export interface DeleteError {
  key: string;
  code: string;
  message: string;
}
