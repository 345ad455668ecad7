export type { ObjectStore, ObjectSummary, ObjectHead, GetOptions, GetResult, PutBody, PutOptions, PutResult, DeleteResult, DeleteError } from './types.js';
export { FsStore, FS_STORE_MARKER, type FsStoreOptions } from './fs-store.js';
export { S3Store, DEFAULT_CONCURRENCY, DEFAULT_MULTIPART_THRESHOLD, DEFAULT_PART_SIZE, type S3StoreOptions } from './s3-store.js';
export { openStore, type OpenStoreOptions } from './open.js';
export { STORE_ERRORS, isStoreError, type StoreErrorCode } from './errors.js';
export { keyProblem, assertKey, MAX_KEY_BYTES } from './keys.js';
export { EtagAccumulator, etagMatches, etagsOfFile, md5Hex, multipartEtagOfFile, unquoteEtag, MIN_PART_SIZE } from './etag.js';
export { isRetryable, withRetry, type RetryOptions } from './retry.js';
export { Semaphore, mapLimit } from './concurrency.js';
