import type { StoreConfig } from '../config/schema.js';
import { FsStore } from './fs-store.js';
import { S3Store } from './s3-store.js';
import type { ObjectStore } from './types.js';
import { verifyPuts } from './verify-puts.js';

export interface OpenStoreOptions {
  /** Requests in flight at once (s3). Default 16. */
  concurrency?: number;
  /** Objects at least this big are uploaded in parts (s3). Default 8 MiB. */
  multipartThreshold?: number;
  /** Part size of multipart uploads (s3). Default 8 MiB. */
  partSize?: number;
}

/**
 * The store a target's `store` config names (`targets.<name>.store`). An S3 store's puts are
 * read back (`verifyPuts`): a store opened here serves or checks a site, where one HEAD per
 * put is cheap; a deploy opens its own (deploy/target.ts) without it.
 */
export function openStore(config: StoreConfig, options: OpenStoreOptions = {}): ObjectStore {
  switch (config.type) {
    case 'fs':
      return new FsStore(config.dir);
    case 's3':
      return verifyPuts(new S3Store({ ...config, ...definedOnly(options) }));
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
