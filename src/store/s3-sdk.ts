import { createRequire } from 'node:module';
import type * as S3 from '@aws-sdk/client-s3';
import type * as LibStorage from '@aws-sdk/lib-storage';

// The SDK is CommonJS: required, not imported, so Node does not scan its bundle for named
// exports first (about 90 ms of every deploy's start-up, before the first request). Only the
// S3 store imports this module, and a deploy to an fs target never loads the S3 store.
const require = createRequire(import.meta.url);

export const { CopyObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } = require(
  '@aws-sdk/client-s3',
) as typeof S3;

/** lib-storage, loaded on the first multipart upload only. */
export const libStorage = (): typeof LibStorage => require('@aws-sdk/lib-storage') as typeof LibStorage;
