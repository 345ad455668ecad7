import type { SiteModel } from '../config/model.js';
import type { StoreConfig } from '../config/schema.js';
import { openStore } from '../store/open.js';
import { S3Store } from '../store/s3-store.js';
import type { ObjectStore } from '../store/types.js';

/** Part size of multipart uploads: the S3 store uploads files at or above `deploy.multipartThreshold` in parts of this size. */
export const MULTIPART_PART_SIZE = 8 * 1024 * 1024;

/** Opens the store a target names, with the deploy block's concurrency and multipart settings. */
export function openTargetStore(config: StoreConfig, site: Pick<SiteModel, 'deploy'>): ObjectStore {
  const options = { concurrency: site.deploy.concurrency, multipartThreshold: site.deploy.multipartThreshold, partSize: MULTIPART_PART_SIZE };
  if (config.type === 's3') {
    // Deploy sends Content-MD5 with every single-part put (the server refuses other bytes) and
    // the store checks the ETag it answers, so the extra HEAD per put that verifyPuts adds
    // would only double the requests of a deploy.
    return new S3Store({ ...config, ...options, verifyPuts: false });
  }
  return openStore(config, options);
}
