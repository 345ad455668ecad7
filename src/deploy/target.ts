import type { SiteModel } from '../config/model.js';
import type { StoreConfig } from '../config/schema.js';
import { FsStore } from '../store/fs-store.js';
import type { ObjectStore } from '../store/types.js';

/** Part size of multipart uploads: the S3 store uploads files at or above `deploy.multipartThreshold` in parts of this size. */
export const MULTIPART_PART_SIZE = 8 * 1024 * 1024;

/**
 * Opens the store a target names, with the deploy block's concurrency and multipart settings.
 * The S3 store (and with it the AWS SDK, most of a deploy's start-up time) loads only for an
 * S3 target.
 */
export async function openTargetStore(config: StoreConfig, site: Pick<SiteModel, 'deploy'>): Promise<ObjectStore> {
  if (config.type === 'fs') return new FsStore(config.dir);
  const { S3Store } = await import('../store/s3-store.js');
  // Deploy sends Content-MD5 with every single-part put (the server refuses other bytes) and
  // the store checks the ETag it answers, so the extra HEAD per put that verifyPuts adds
  // would only double the requests of a deploy.
  return new S3Store({ ...config, concurrency: site.deploy.concurrency, multipartThreshold: site.deploy.multipartThreshold, partSize: MULTIPART_PART_SIZE, verifyPuts: false });
}
