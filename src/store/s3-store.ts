import { STORE_ERRORS, storeError } from './errors.js';
import type { ObjectStore } from './types.js';

export interface S3StoreOptions {
  bucket: string;
  region?: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  prefix?: string;
  concurrency?: number;
  multipartThreshold?: number;
  partSize?: number;
}

/** Placeholder until the S3 store lands on this branch: opening one fails with a typed error. */
export class S3Store {
  constructor(options: S3StoreOptions) {
    throw storeError(STORE_ERRORS.unavailable, `s3://${options.bucket}: the s3 store is not available in this build yet`, 'use an fs store target');
  }
}
export type _S3StoreIsAStore = S3Store extends ObjectStore ? never : never;
