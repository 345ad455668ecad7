import type { SiteModel } from '../config/model.js';
import type { TargetConfig } from '../config/schema.js';
import type { ObjectStore } from '../store/types.js';
import type { CloudFrontInvalidationOptions } from './invalidate-cloudfront.js';
import { invalidateLocal } from './invalidate-local.js';
import { reduceInvalidationPaths, viewerPathsForKey, type ReduceOptions } from './invalidation-paths.js';
import type { Plan } from './types.js';

export interface InvalidationOutcome {
  paths: string[];
  /** `cloudfront`: sent to the distribution; `local-edge`: taken by the running local edge; `recorded`: written to invalidations.jsonl only. */
  via: 'cloudfront' | 'local-edge' | 'recorded' | 'none';
  id?: string;
  /** Why a local invalidation was only recorded. */
  note?: string;
}

/**
 * The viewer paths a plan must invalidate: every object that existed and now holds other bytes
 * or other headers, whatever its behavior. The edge may hold the old response under the *old*
 * behavior's TTL (an object moved from a one-year rule to a one-hour one keeps its year at the
 * edge), so the new behavior cannot tell whether waiting is enough. Content-hashed assets are
 * new keys when their bytes change, so they rarely appear here. New keys need nothing; deleted
 * keys are deleted after the invalidation and are left to expire.
 */
export function planInvalidationPaths(plan: Plan, defaultRootObject: string, options: ReduceOptions = {}): string[] {
  const changed = plan.actions.filter((a) => (a.action === 'update-metadata' || a.action === 'upload') && a.replaces === true);
  if (changed.length === 0) return [];
  const exact = changed.flatMap((a) => viewerPathsForKey(a.key, defaultRootObject));
  const allPaths = Object.keys(plan.manifest.entries).flatMap((k) => viewerPathsForKey(k, defaultRootObject));
  return reduceInvalidationPaths(exact, { ...options, allPaths });
}

/** Delivers an invalidation the way the target is served: CloudFront with a distribution, else the local edge. */
export async function deliverInvalidation(
  site: Pick<SiteModel, 'rootDir'>,
  target: TargetConfig,
  store: Pick<ObjectStore, 'location'>,
  paths: string[],
  callerReference: string,
  options: { cloudfront?: CloudFrontInvalidationOptions; now?: () => Date } = {},
): Promise<InvalidationOutcome> {
  if (paths.length === 0) return { paths, via: 'none' };
  if (target.distributionId) {
    // The CloudFront client loads only when a distribution is to be told.
    const { invalidateCloudFront } = await import('./invalidate-cloudfront.js');
    const { id } = await invalidateCloudFront(target.distributionId, paths, callerReference, options.cloudfront);
    return { paths, via: 'cloudfront', id };
  }
  const record = await invalidateLocal(paths, { rootDir: site.rootDir, storeLocation: store.location, callerReference, now: options.now });
  return record.delivered ? { paths, via: 'local-edge', id: record.id } : { paths, via: 'recorded', note: record.reason };
}
