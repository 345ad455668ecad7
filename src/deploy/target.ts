import type { DeployConfig } from '../config/deploy-schema.js';
import type { StoreConfig } from '../config/schema.js';
import { FsStore } from '../store/fs-store.js';
import type { S3StoreOptions } from '../store/s3-store.js';
import type { ObjectStore } from '../store/types.js';

/** Part size of multipart uploads: the S3 store uploads files at or above `deploy.multipartThreshold` in parts of this size. */
export const MULTIPART_PART_SIZE = 8 * 1024 * 1024;

export type S3StoreConfig = Extract<StoreConfig, { type: 's3' }>;

/** What a deploy opens an S3 target's store with: the target's store block and the deploy block's concurrency and multipart settings. */
export function s3StoreOptions(config: S3StoreConfig, deploy: Pick<DeployConfig, 'concurrency' | 'multipartThreshold'>): S3StoreOptions {
  const { type: _type, ...where } = config;
  // The store is not wrapped in verifyPuts: Content-MD5 and the answered ETag already cover a
  // deploy's puts (verify-puts.ts says why a HEAD per put would only double its requests).
  return { ...where, concurrency: deploy.concurrency, multipartThreshold: deploy.multipartThreshold, partSize: MULTIPART_PART_SIZE };
}

/**
 * Opens the store a target names. The S3 store (and with it the AWS SDK, most of a deploy's
 * start-up time) loads only for an S3 target.
 */
export async function openTargetStore(config: StoreConfig, deploy: Pick<DeployConfig, 'concurrency' | 'multipartThreshold'>): Promise<ObjectStore> {
  if (config.type === 'fs') return new FsStore(config.dir);
  const { S3Store } = await import('../store/s3-store.js');
  return new S3Store(s3StoreOptions(config, deploy));
}
