import type { SiteModel } from '../config/model.js';
import type { StoreConfig } from '../config/schema.js';
import { openStore } from '../store/open.js';
import type { ObjectStore } from '../store/types.js';

/** Part size of multipart uploads: the S3 store uploads files at or above `deploy.multipartThreshold` in parts of this size. */
export const MULTIPART_PART_SIZE = 8 * 1024 * 1024;

/** Opens the store a target names, with the deploy block's concurrency and multipart settings. */
export function openTargetStore(config: StoreConfig, site: Pick<SiteModel, 'deploy'>): ObjectStore {
  return openStore(config, { concurrency: site.deploy.concurrency, multipartThreshold: site.deploy.multipartThreshold, partSize: MULTIPART_PART_SIZE });
}
